// [alert:x]: tend's crash alerts (supervisord ignores the section). Everything a sender needs is
// checked here, at load, so a typo in an address or an event name is a file:line error at
// start-up rather than an alert that silently never arrives.
import { hostname } from 'node:os';
import { isEventTypeName, type EventTypeName } from '../../events/names.js';
import { configError, need, raw, read, type Reader } from '../reader.js';
import { ALERT_KEYS as A } from '../schema.js';
import { abandonSection, orSkip } from '../sink.js';
import { readerWithHere, sectionsWith, warn, type LoadState } from '../state.js';
import { fnmatchRegex } from '../glob.js';
import type { AlertConfig, AlertTarget, GroupConfig, MailSettings } from '../types.js';
import { programName } from './program.js';

/** The shortest `secret` accepted: 128 bits of a random hex or base64 key. */
export const MIN_SECRET_LENGTH = 16;

const readEvents = (r: Reader): EventTypeName[] => {
  const events = [...new Set(need(r, A.events).map((e) => e.toUpperCase()))];
  const at = { key: 'events', located: raw(r, 'events'), expected: 'event type names (docs/events.md)' };
  if (events.length === 0) throw configError(r, at, 'an alert needs at least one event type');
  for (const e of events) {
    if (!isEventTypeName(e)) throw configError(r, at, `Unknown event type ${e} in [${r.section}] events`);
    // An alert about alerts could feed itself (a failing receiver reporting its own failure).
    if (e.startsWith('ALERT_')) throw configError(r, at, `alerts are not sent about alerts (${e})`);
  }
  return events.filter(isEventTypeName);
};

const readSecret = (r: Reader): string | null => {
  const secret = read(r, A.secret);
  if (secret === null || secret.length >= MIN_SECRET_LENGTH) return secret;
  throw configError(
    r,
    { key: 'secret', located: raw(r, 'secret'), expected: `at least ${MIN_SECRET_LENGTH} characters` },
    `secret is too short (${secret.length} characters) to sign with`,
  );
};

const readMail = (r: Reader): MailSettings => {
  const to = read(r, A.to);
  if (to === null) throw configError(r, { key: 'to' }, `[${r.section}] sends mail but has no "to" line`);
  const user = read(r, A.smtp_user);
  const password = read(r, A.smtp_password);
  if ((user === null) !== (password === null)) {
    const missing = user === null ? 'smtp_user' : 'smtp_password';
    throw configError(r, { key: missing }, 'smtp_user and smtp_password go together: set both or neither');
  }
  return {
    from: read(r, A.from) ?? `tend@${hostname()}`,
    to,
    user,
    password,
    tls: need(r, A.smtp_tls),
  };
};

const MAIL_ONLY = ['from', 'to', 'smtp_user', 'smtp_password', 'smtp_tls'];
const WEBHOOK_ONLY = ['format', 'secret'];

// Keys of the other kind of target do nothing; say so rather than ignore them.
const warnInert = (state: LoadState, r: Reader, target: AlertTarget): void => {
  const keys = target.kind === 'mail' ? WEBHOOK_ONLY : MAIL_ONLY;
  for (const key of keys) {
    const found = raw(r, key);
    if (found === undefined) continue;
    const message = `${key} has no effect on a ${target.kind === 'mail' ? 'mail' : 'webhook'} alert`;
    warn(state, { file: found.file, line: found.line, section: r.section, key, message });
  }
};

// A url that does not convert is reported once (by read); without one the section is given up.
const readTarget = (r: Reader): AlertTarget => {
  const before = r.errors?.length ?? 0;
  const target = read(r, A.url);
  if (target !== null) return target;
  if ((r.errors?.length ?? 0) > before) abandonSection();
  throw configError(r, { key: 'url' }, `[${r.section}] has no url: where should alerts go?`);
};

const readAlert = (state: LoadState, section: string): AlertConfig => {
  const name = programName(state, section);
  const r = readerWithHere(state, section);
  const target = readTarget(r);
  warnInert(state, r, target);
  return {
    name,
    target,
    format: need(r, A.format),
    secret: target.kind === 'webhook' ? readSecret(r) : null,
    events: readEvents(r),
    programs: need(r, A.programs),
    batchSeconds: need(r, A.batch_seconds),
    retries: need(r, A.retries),
    stderrLines: need(r, A.stderr_lines),
    mail: target.kind === 'mail' ? readMail(r) : null,
    source: r.at,
  };
};

// A glob that names no program is most likely a typo, and its alert would stay silent for good.
const warnUnmatched = (state: LoadState, alert: AlertConfig, groups: readonly GroupConfig[]): void => {
  const names = groups.flatMap((g) => [
    g.name,
    ...g.processes.flatMap((p) => [p.name, `${g.name}:${p.name}`]),
  ]);
  for (const glob of alert.programs.filter((g) => g !== '*')) {
    const pattern = fnmatchRegex(glob);
    if (names.some((n) => pattern.test(n))) continue;
    const at = raw(readerWithHere(state, `alert:${alert.name}`), 'programs') ?? alert.source;
    const message = `programs: ${glob} matches no program or group in this config`;
    warn(state, { file: at.file, line: at.line, section: `alert:${alert.name}`, key: 'programs', message });
  }
};

/** Every [alert:x], in file order; a checking load leaves out the ones it cannot read. */
export const readAlerts = (state: LoadState, groups: readonly GroupConfig[]): AlertConfig[] =>
  sectionsWith(state, 'alert:').flatMap((section) =>
    orSkip(
      state,
      () => {
        const alert = readAlert(state, section);
        warnUnmatched(state, alert, groups);
        return [alert];
      },
      () => [],
    ),
  );
