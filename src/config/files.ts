// Reading config files: text as Python's text mode would decode it (UTF-8, universal newlines)
// into the INI store.
import { readFileSync } from 'node:fs';
import { TendError } from '../errors/index.js';
import { ConfigError } from './errors.js';
import { readIni, type IniStore } from './ini.js';
import { recover, type ErrorSink } from './sink.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

const readText = (file: string): string | null => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ConfigError({ file, line: 1 }, 'file is not valid UTF-8');
  }
};

/** The main file must exist and be readable (supervisord: "could not find config file"). */
export const readMainFile = (store: IniStore, file: string, sink: ErrorSink = {}): void => {
  const text = recover(
    sink,
    () => readText(file),
    () => '',
  );
  if (text === null) {
    throw new TendError('CONFIG_NOT_FOUND', `could not find or read config file ${file}`, {
      hint: 'pass the path of an existing file with -c',
    });
  }
  readIni(store, text, file, sink);
};

/** An included file that cannot be opened is skipped, as RawConfigParser.read skips it. */
export const readIncludedFile = (store: IniStore, file: string, sink: ErrorSink = {}): boolean => {
  const text = recover(
    sink,
    () => readText(file),
    () => '',
  );
  if (text === null) return false;
  readIni(store, text, file, sink);
  return true;
};
