// How a checking load (`tend check`) goes on after an error to find the next one. The daemon's
// load has no sink: its first error is thrown at once, exactly as before.
import { ConfigError } from './errors.js';

/** Where a checking load collects its errors; absent, the first error is thrown at once. */
export interface ErrorSink {
  readonly errors?: ConfigError[] | undefined;
}

/** A problem that does not stop what follows from being read: thrown, or recorded by a checking load. */
export const report = (sink: ErrorSink, error: ConfigError): void => {
  if (sink.errors === undefined) throw error;
  sink.errors.push(error);
};

/**
 * Runs `fn`. A checking load records its ConfigError and carries on with `fallback()` (the
 * default, or the text as written); otherwise the error is thrown.
 */
export const recover = <T>(sink: ErrorSink, fn: () => T, fallback: () => T): T => {
  try {
    return fn();
  } catch (error) {
    if (sink.errors === undefined || !(error instanceof ConfigError)) throw error;
    sink.errors.push(error);
    return fallback();
  }
};

/** Thrown by a checking load when a section cannot be read further (its error is recorded). */
class SectionAbandoned extends Error {}

/** Gives up on the section being read; its error has been recorded. */
export const abandonSection = (): never => {
  throw new SectionAbandoned('section abandoned after an error');
};

/** A whole section in a checking load: its errors recorded, the section left out (`skipped`). */
export const orSkip = <T>(sink: ErrorSink, fn: () => T, skipped: () => T): T => {
  try {
    return fn();
  } catch (error) {
    if (sink.errors === undefined) throw error;
    if (error instanceof ConfigError) sink.errors.push(error);
    else if (!(error instanceof SectionAbandoned)) throw error;
    return skipped();
  }
};
