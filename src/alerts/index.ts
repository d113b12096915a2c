// Alerts ([alert:x]): an observer of the supervisor's bus that sends webhooks and mail.
export { AlertService, targetText, type AlertServiceDeps, type AlertStatus } from './service.js';
export { QUEUE_LIMIT, type AlertStats } from './sender.js';
export { signature, verifySignature, SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECS } from './sign.js';
export type { Delivery, Transport } from './transport.js';
export { superviseAlerts, ALERT_DRAIN_MS } from './supervised.js';
