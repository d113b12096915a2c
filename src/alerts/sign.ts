import { createHmac, timingSafeEqual } from 'node:crypto';

// The webhook signature, in the scheme Stripe made familiar: header
// `Tend-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is
// inside the signed text, so a receiver that also refuses old timestamps cannot be fed a replay
// of a captured request. docs/alerts.md shows a receiver; verifySignature is the reference.

export const SIGNATURE_HEADER = 'tend-signature';
/** How old a signature a receiver should accept, by default. */
export const DEFAULT_TOLERANCE_SECS = 300;

const mac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The header value for `body` signed at `nowMs`. */
export const signature = (secret: string, body: string, nowMs: number): string => {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
};

/** Whether `header` signs `body` under `secret`, made at most `toleranceSecs` from `nowMs`. */
export const verifySignature = (
  secret: string,
  body: string,
  header: string,
  options: { nowMs?: number; toleranceSecs?: number } = {},
): boolean => {
  const fields = new Map(
    header.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const t = Number(fields.get('t'));
  const given = fields.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = (options.nowMs ?? Date.now()) / 1000;
  if (Math.abs(now - t) > (options.toleranceSecs ?? DEFAULT_TOLERANCE_SECS)) return false;
  return timingSafeEqual(Buffer.from(mac(secret, t, body), 'hex'), Buffer.from(given, 'hex'));
};
