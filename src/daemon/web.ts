import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { DaemonControl } from '../api/index.js';
import type { Config } from '../config/index.js';
import type { LifecycleLog } from '../process/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { createWebApp, loadTls } from '../web/index.js';
import { listenInet } from './listen.js';

// Starts the dashboard when the config has [web_server]: its certificate (made on the first start
// when none is configured), its application, its listener. The fingerprint is logged so that a
// user can check what the browser shows before accepting a self-signed certificate.

export interface RunningWeb {
  readonly server: Server;
  readonly close: () => void;
}

export const startWeb = async (
  config: Config,
  sup: Supervisor,
  daemon: DaemonControl,
  log: LifecycleLog,
): Promise<RunningWeb | null> => {
  const web = config.webServer;
  if (web === null) return null;
  const host = hostname();
  const tls = await loadTls({
    certfile: web.certfile,
    keyfile: web.keyfile,
    pidfile: config.supervisord.pidfile,
    hostname: host,
  });
  if (tls.generated)
    log('info', `dashboard: made a self-signed certificate for localhost and ${host}: ${tls.certPath}`);
  const made = createWebApp({ supervisor: sup, daemon, config: web, tls, identity: host, log });
  await made.app.ready();
  await listenInet(made.app.server, web.host, web.port);
  const shown = web.publicUrl ?? `https://${web.host === '' ? host : web.host}:${web.port}`;
  log('info', `dashboard: ${shown}/ (certificate SHA-256 fingerprint ${tls.fingerprint})`);
  return { server: made.app.server, close: made.close };
};
