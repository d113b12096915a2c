import { cpus } from 'node:os';
import path from 'node:path';
import { shlexSplit } from '../../config/index.js';

// PM2's value forms, turned into supervisord's: milliseconds or "1h/1m/1s" into seconds, "150M"
// into a byte size, strings or arrays into argv, instance counts into numprocs.

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** ms (number or digits) or "10s", "1m", "1h" → whole seconds, rounded up; null when unreadable. */
export const toSeconds = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.ceil(v / 1000);
  if (typeof v !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (m === null) return null;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.ceil(Number(m[1]) * factor);
};

/** "150M", "1G", "512K" or bytes → supervisord's byte size ("150MB"); null when unreadable. */
export const toByteSize = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return String(v);
  if (typeof v !== 'string') return null;
  const m = /^(\d+)\s*([KMG])?B?$/i.exec(v.trim());
  if (m === null) return null;
  return `${m[1] ?? ''}${m[2] === undefined ? '' : `${m[2].toUpperCase()}B`}`;
};

/** A string is split like a shell line; an array is taken as it is. */
export const words = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.trim() === '' ? [] : shlexSplit(v);
  if (typeof v === 'number') return [String(v)];
  return [];
};

/** PM2's interpreters by extension (lib/API/interpreter.json), python as python3. */
const BY_EXTENSION: Record<string, string> = {
  '.js': 'node',
  '.cjs': 'node',
  '.mjs': 'node',
  '.sh': 'bash',
  '.py': 'python3',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
  '.coffee': 'coffee',
  '.ls': 'lsc',
  '.ts': 'bun',
  '.tsx': 'bun',
};

export const interpreterFor = (script: string, given: unknown): string | null => {
  if (typeof given === 'string' && given !== '') return given === 'none' ? null : given;
  return BY_EXTENSION[path.extname(script).toLowerCase()] ?? null;
};

/** instances: a count, or 0 / 'max' (every CPU) and -1 (all but one), as this machine has them. */
export const instanceCount = (v: unknown): number | null => {
  const n = v === 'max' ? 0 : typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) return null;
  if (n > 0) return n;
  return Math.max(1, cpus().length + (n < 0 ? n : 0));
};

export const stringRecord = (v: unknown): Record<string, string> =>
  isRecord(v)
    ? Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null && x !== undefined)
          .map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]),
      )
    : {};
