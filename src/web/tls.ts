import { X509Certificate } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { TendError } from '../errors/index.js';

// The dashboard's certificate: the configured certfile/keyfile, or (as Cockpit does) a
// self-signed one made at the first start for localhost and this host's name, kept beside the
// pid file with mode 0600 and reused after, so the page is never served in clear and the browser's
// exception holds across restarts. The SHA-256 fingerprint is logged for users to compare.

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  /** `AB:CD:…`, as browsers show it. */
  readonly fingerprint: string;
  /** Made now (first start), rather than read. */
  readonly generated: boolean;
  readonly certPath: string;
}

export interface TlsSource {
  readonly certfile: string | null;
  readonly keyfile: string | null;
  readonly pidfile: string;
  readonly hostname: string;
}

const read = (file: string, what: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TendError('CONFIG_INVALID', `[web_server] cannot read ${what} ${file}: ${String(error)}`);
  }
};

const fingerprintOf = (cert: string, file: string): string => {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch (error) {
    throw new TendError('CONFIG_INVALID', `${file} is not a PEM certificate: ${String(error)}`);
  }
};

// 'wx': never follows or overwrites a file someone put there; 0600 from the first byte.
const writePrivate = (file: string, text: string): void => {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
};

const generate = async (hostname: string): Promise<{ key: string; cert: string }> => {
  const mod = await import('selfsigned');
  // A CommonJS module: bundled, its exports arrive as the default export.
  const make = mod.default.generate;
  const now = new Date();
  const until = new Date(now.getTime() + 397 * 86_400_000);
  const names = [...new Set(['localhost', hostname])].map((value) => ({ type: 2 as const, value }));
  const pems = await make([{ name: 'commonName', value: hostname }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: until,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
};

/** Reads the configured pair, or the generated one (making it on the first start). */
export const loadTls = async (source: TlsSource): Promise<TlsMaterial> => {
  if (source.certfile !== null && source.keyfile !== null) {
    const cert = read(source.certfile, 'certfile');
    const key = read(source.keyfile, 'keyfile');
    return {
      key,
      cert,
      fingerprint: fingerprintOf(cert, source.certfile),
      generated: false,
      certPath: source.certfile,
    };
  }
  const certPath = `${source.pidfile}.web.crt`;
  const keyPath = `${source.pidfile}.web.key`;
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = read(certPath, 'certificate');
    return {
      key: read(keyPath, 'key'),
      cert,
      fingerprint: fingerprintOf(cert, certPath),
      generated: false,
      certPath,
    };
  }
  const made = await generate(source.hostname);
  writePrivate(keyPath, made.key);
  writePrivate(certPath, made.cert);
  return { ...made, fingerprint: fingerprintOf(made.cert, certPath), generated: true, certPath };
};
