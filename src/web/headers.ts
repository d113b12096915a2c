import type { ServerResponse } from 'node:http';

// Headers on every dashboard response. The CSP allows only tend's own script and style files (no
// inline script or style, no eval, no other origin) and no framing; HSTS keeps browsers on HTTPS.

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const FIXED: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  // Answers are per user and per moment; assets override this (they are immutable).
  'cache-control': 'no-store',
};

// Set on the raw response, so that streams, which bypass Fastify's reply, have them too.
export const securityHeaders = (res: ServerResponse): void => {
  for (const [name, value] of Object.entries(FIXED)) res.setHeader(name, value);
};

export const COOKIE = '__Host-tend-session';

/** The session cookie: host-only (`__Host-`), never sent in clear, unreadable to scripts. */
export const sessionCookie = (id: string): string =>
  `${COOKIE}=${id}; Path=/; Secure; HttpOnly; SameSite=Strict`;

export const expiredCookie = (): string => `${COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;

/** The session id from a Cookie header (the first one named so), or undefined. */
export const cookieValue = (header: string | undefined): string | undefined => {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
};
