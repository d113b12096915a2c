import { TendError } from '../../errors/index.js';
import type { XmlRpcValue } from './values.js';

// Method arguments as supervisord's Python methods see them: a name must be a string; a number
// goes through int() (so 1.9, true and " 42 " are accepted, as Python would); `wait` is Python
// truthiness. What Python would trip over with a TypeError becomes INCORRECT_PARAMETERS here
// instead of supervisord's HTTP 500.

const incorrect = (detail?: string): TendError =>
  new TendError('INCORRECT_PARAMETERS', undefined, { faultDetail: detail });

const truthy = (v: XmlRpcValue | undefined): boolean => {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && !(v instanceof Date)) return Object.keys(v).length > 0;
  return true;
};

export class Args {
  readonly values: readonly XmlRpcValue[];

  constructor(values: readonly XmlRpcValue[]) {
    this.values = values;
  }

  string(index: number): string {
    const v = this.values[index];
    if (typeof v !== 'string') throw incorrect();
    return v;
  }

  int(index: number): number {
    const v = this.values[index];
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
    if (typeof v === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(v)) {
      const n = Number(v.trim().replaceAll('_', ''));
      if (Number.isSafeInteger(n)) return n;
    }
    throw incorrect();
  }

  /** An optional flag: absent means `fallback`, anything else is Python's bool(). */
  flag(index: number, fallback: boolean): boolean {
    return index < this.values.length ? truthy(this.values[index]) : fallback;
  }

  value(index: number): XmlRpcValue | undefined {
    return this.values[index];
  }
}
