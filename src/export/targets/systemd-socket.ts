import path from 'node:path';
import { provenance, type ExportContext, type ExportFile } from '../files.js';
import type { ExportProgram } from '../programs.js';
import { noSpecifiers } from './systemd-syntax.js';

// An fcgi-program's socket: supervisord binds it and hands it to every process as fd 0; systemd's
// socket unit does the same for the service it activates (StandardInput=socket, Accept=no).

const listen = (socket: string): string => {
  if (socket.startsWith('unix://')) return path.resolve(socket.slice('unix://'.length));
  return socket.replace(/^tcp:\/\//, '');
};

export const socketUnit = (
  program: ExportProgram,
  instances: readonly string[],
  ctx: ExportContext,
): ExportFile | null => {
  const fcgi = program.first.fcgi;
  if (fcgi === null) return null;
  const base = instances[0]?.replace(/(@\d+)?\.service$/, '') ?? program.program;
  if (instances.length > 1) {
    ctx.findings.warn(
      program.program,
      'numprocs',
      `supervisord shares the socket among ${instances.length} processes; systemd passes it to ${instances[0] ?? ''} only`,
    );
  }
  const lines = [
    `# ${provenance('systemd', ctx)}`,
    '[Unit]',
    `Description=tend [fcgi-program:${noSpecifiers(program.program)}] socket`,
    '',
    '[Socket]',
    `ListenStream=${noSpecifiers(listen(fcgi.socket))}`,
  ];
  if (fcgi.socket.startsWith('unix://')) lines.push(`SocketMode=${fcgi.mode.toString(8).padStart(4, '0')}`);
  if (fcgi.owner !== null) lines.push(`SocketUser=${fcgi.owner.uid}`, `SocketGroup=${fcgi.owner.gid}`);
  if (fcgi.backlog !== null) lines.push(`Backlog=${fcgi.backlog}`);
  if (instances.length > 1) lines.push(`Service=${instances[0] ?? ''}`);
  lines.push('', '[Install]', 'WantedBy=sockets.target', '');
  return { name: `${base}.socket`, text: lines.join('\n') };
};
