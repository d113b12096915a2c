export { createApi, type ApiOptions } from './server.js';
export { checkBasicAuth, type AuthVerdict, type Credentials } from './auth.js';
export type { DaemonControl } from './rest.js';
