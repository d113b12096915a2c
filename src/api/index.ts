export { createApi, type ApiOptions } from './server.js';
export { Authenticator, parseBasic, type AuthVerdict, type Credentials } from './auth.js';
export type { DaemonControl } from './daemon-control.js';
export { hashPassword, verifyScrypt } from './scrypt.js';
