import path from 'node:path';
import { provenance, type ExportContext, type ExportFile } from '../files.js';
import type { ExportProgram } from '../programs.js';
import { noSpecifiers } from './systemd-syntax.js';

// An fcgi-program's socket: supervisord binds it and hands it to every process as fd 0; systemd's
// socket unit does the same for the service it activates (StandardInput=socket, Accept=no).
// A [program:x]'s `socket` is tend's socket activation, which is systemd's own: the socket unit
// passes it as fd 3 with LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES (FileDescriptorName=).

const listen = (socket: string): string => {
  if (socket.startsWith('unix://')) return path.resolve(socket.slice('unix://'.length));
  // tcp://*:80 and tcp://:80 listen on every interface: ListenStream=80.
  return socket.replace(/^tcp:\/\/(\*|):/, '').replace(/^tcp:\/\//, '');
};

interface Listening {
  readonly section: string;
  readonly url: string;
  readonly mode: number;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
  readonly backlog: number | null;
  /** FileDescriptorName= (LISTEN_FDNAMES) for socket activation; null for fcgi's stdin. */
  readonly name: string | null;
}

const listeningOf = (program: ExportProgram): Listening | null => {
  const { fcgi, socket } = program.first;
  if (fcgi !== null) return { section: 'fcgi-program', url: fcgi.socket, ...fcgi, name: null };
  if (socket === null) return null;
  return { section: 'program', ...socket, name: program.program };
};

export const socketUnit = (
  program: ExportProgram,
  instances: readonly string[],
  ctx: ExportContext,
): ExportFile | null => {
  const fcgi = listeningOf(program);
  if (fcgi === null) return null;
  const base = instances[0]?.replace(/(@\d+)?\.service$/, '') ?? program.program;
  if (instances.length > 1) {
    ctx.findings.warn(
      program.program,
      'numprocs',
      `${fcgi.section === 'program' ? 'tend' : 'supervisord'} shares the socket among ${instances.length} processes; systemd passes it to ${instances[0] ?? ''} only`,
    );
  }
  const lines = [
    `# ${provenance('systemd', ctx)}`,
    '[Unit]',
    `Description=tend [${fcgi.section}:${noSpecifiers(program.program)}] socket`,
    '',
    '[Socket]',
    `ListenStream=${noSpecifiers(listen(fcgi.url))}`,
  ];
  if (fcgi.name !== null) lines.push(`FileDescriptorName=${noSpecifiers(fcgi.name)}`);
  if (fcgi.url.startsWith('unix://')) lines.push(`SocketMode=${fcgi.mode.toString(8).padStart(4, '0')}`);
  if (fcgi.owner !== null) lines.push(`SocketUser=${fcgi.owner.uid}`, `SocketGroup=${fcgi.owner.gid}`);
  if (fcgi.backlog !== null) lines.push(`Backlog=${fcgi.backlog}`);
  if (instances.length > 1) lines.push(`Service=${instances[0] ?? ''}`);
  lines.push('', '[Install]', 'WantedBy=sockets.target', '');
  return { name: `${base}.socket`, text: lines.join('\n') };
};
