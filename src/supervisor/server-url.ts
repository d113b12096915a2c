import type { Config } from '../config/types.js';

// SUPERVISOR_SERVER_URL for children whose serverurl is AUTO: the unix socket if there is one,
// else the inet server (options.py ServerOptions.serverurl), else unset.
export const serverUrl = (config: Config): string | null => {
  if (config.unixHttpServer !== null) return `unix://${config.unixHttpServer.file}`;
  if (config.inetHttpServer !== null) {
    const host = config.inetHttpServer.host === '' ? 'localhost' : config.inetHttpServer.host;
    return `http://${host}:${config.inetHttpServer.port}`;
  }
  return null;
};
