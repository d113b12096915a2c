export { CATALOGUE, codeForFault, isErrorCode, type ErrorCode, type ErrorSpec } from './catalogue.js';
export { TendError, isTendError, toTendError, type TendErrorOptions } from './tend-error.js';
export { toExitCode, toFault, toHttp, type Fault, type HttpErrorBody } from './mapping.js';
