export { BODY_LIMIT, createApi, handleError, sendError, type ApiOptions } from './server.js';
export { Authenticator, parseBasic, type AuthVerdict, type Credentials } from './auth.js';
export type { DaemonControl } from './daemon-control.js';
export { hashPassword, verifyScrypt } from './scrypt.js';
export { EventHub } from './sse/hub.js';
export { registerEvents } from './sse/route.js';
export { registerRest } from './rest/index.js';
export { StreamSink, streamLimits, type StreamLimits } from './stream-sink.js';
export { ScryptQueue } from './scrypt-queue.js';
