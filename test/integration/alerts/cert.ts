import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/tmp.js';

/** A self-signed certificate for 127.0.0.1, made by openssl for this test only. */
export const throwawayCert = (): { cert: string; key: string } => {
  const dir = tempDir('tend-cert-');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  assert.ok(existsSync(cert) && existsSync(key));
  return { cert, key };
};
