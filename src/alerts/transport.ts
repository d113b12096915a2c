import type { AlertMessage } from './message.js';

// How a message leaves: a webhook POST or a mail. A transport resolves when the receiver took
// the message and throws (with a short reason for the log) when it did not; it never retries,
// the sender does. Tests put their own in place.

export interface Delivery {
  /** One id per message, the same on every attempt, so a receiver can drop duplicates. */
  readonly id: string;
  readonly message: AlertMessage;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export type Transport = (delivery: Delivery) => Promise<void>;

/** Time one attempt may take, connecting included. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** A reason for the log, without a stack. */
export const reasonOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const text = error.message === '' ? error.name : error.message;
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
};
