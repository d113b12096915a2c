// The dashboard (docs/dashboard.md): an HTTPS listener with sessions, CSRF protection and the page.
export { createWebApp, type WebApp, type WebOptions } from './app.js';
export { loadTls, type TlsMaterial } from './tls.js';
export { CSP, COOKIE } from './headers.js';
