import { CATALOGUE, type ErrorCode } from './catalogue.js';
import { toTendError } from './tend-error.js';

const FAILED_FAULT = 30;

export interface Fault {
  readonly faultCode: number;
  readonly faultString: string;
}

// supervisord's fault string is `NAME` or `NAME: extra`. tend-only codes travel as FAILED so that
// stock clients see a code they know, with tend's code kept in the text.
export const toFault = (error: unknown): Fault => {
  const e = toTendError(error);
  const fault = CATALOGUE[e.code].fault;
  if (fault === undefined) {
    return { faultCode: FAILED_FAULT, faultString: `FAILED: ${e.code}: ${e.message}` };
  }
  const detail = e.faultDetail ?? (e.message === CATALOGUE[e.code].summary ? '' : e.message);
  return { faultCode: fault, faultString: detail === '' ? e.code : `${e.code}: ${detail}` };
};

export interface HttpErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly hint?: string };
}

export const toHttp = (error: unknown): { status: number; body: HttpErrorBody } => {
  const e = toTendError(error);
  const body: HttpErrorBody = {
    error: { code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }) },
  };
  return { status: CATALOGUE[e.code].http, body };
};

export const toExitCode = (code: ErrorCode): number => CATALOGUE[code].exit;
