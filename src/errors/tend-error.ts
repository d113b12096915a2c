import { CATALOGUE, type ErrorCode } from './catalogue.js';

const brand = Symbol.for('tend.error');

export interface TendErrorOptions {
  /** What the user can do about it, shown by the CLI and the JSON API. */
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  /**
   * The text after `CODE: ` in an XML-RPC fault string. supervisord puts the namespec or a short
   * reason there (`BAD_NAME: foo`); it defaults to the message.
   */
  readonly faultDetail?: string | undefined;
}

// The single error type every layer throws for expected failures. Its `code` is stable and keys
// into CATALOGUE; the brand makes `isTendError` work across copies of the module.
export class TendError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly faultDetail: string | undefined;
  readonly [brand] = true;

  constructor(code: ErrorCode, message?: string, options: TendErrorOptions = {}) {
    super(message ?? CATALOGUE[code].summary, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'TendError';
    this.code = code;
    this.hint = options.hint;
    this.faultDetail = options.faultDetail;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isTendError(value);
  }
}

export const isTendError = (value: unknown): value is TendError =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

// Anything thrown that is not a TendError is a bug or an OS failure: wrap it as INTERNAL so the
// adapters still have a code to map.
export const toTendError = (error: unknown): TendError => {
  if (isTendError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TendError('INTERNAL', message, { cause: error });
};
