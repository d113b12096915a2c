// The section kinds supervisord (and supervisorctl) recognise, by the same name tests it uses,
// with their key tables; the warnings and the docs walk this list.
import * as S from './schema.js';
import type { AnyKeySpec } from './schema.js';

export interface SectionKind {
  /** How the section is written, e.g. `[program:x]`. */
  readonly title: string;
  /** The name or prefix, as supervisord tests it (`startswith` for prefixes). */
  readonly name: string;
  readonly prefix: boolean;
  readonly keys: Readonly<Record<string, AnyKeySpec>>;
  /** Plugin sections pass every other key to their factory, so no key is unknown. */
  readonly anyKeys: boolean;
  readonly doc: string;
}

const exact = (title: string, keys: SectionKind['keys'], doc: string): SectionKind => ({
  title,
  name: title.slice(1, -1),
  prefix: false,
  keys,
  anyKeys: false,
  doc,
});

// `[program:x]` is matched as a prefix `program:`; `[unix_http_server]` as a prefix too, because
// supervisord tests `startswith('unix_http_server')`.
const prefixed = (title: string, keys: SectionKind['keys'], doc: string): SectionKind => ({
  ...exact(title, keys, doc),
  name: title.slice(1, -1).replace(/x$/, ''),
  prefix: true,
});

const plugin = (title: string, keys: SectionKind['keys'], doc: string): SectionKind => ({
  ...prefixed(title, keys, doc),
  anyKeys: true,
});

export const SECTION_KINDS: readonly SectionKind[] = [
  exact('[supervisord]', S.SUPERVISORD_KEYS, 'Settings of the daemon itself. Required.'),
  prefixed(
    '[program:x]',
    S.PROGRAM_KEYS,
    'A program; numprocs processes form the group x unless a [group:y] lists it.',
  ),
  prefixed('[group:x]', S.GROUP_KEYS, 'A group of programs addressed as x:name.'),
  prefixed(
    '[eventlistener:x]',
    S.EVENTLISTENER_KEYS,
    'A pool of event listener processes; takes every [program:x] key too.',
  ),
  prefixed(
    '[fcgi-program:x]',
    S.FCGI_KEYS,
    'A FastCGI program sharing one socket; takes every [program:x] key too.',
  ),
  prefixed('[unix_http_server]', S.UNIX_HTTP_SERVER_KEYS, 'The control socket.'),
  prefixed('[inet_http_server]', S.INET_HTTP_SERVER_KEYS, 'The control port over TCP.'),
  exact('[web_server]', S.WEB_SERVER_KEYS, 'The dashboard, over HTTPS only (tend only; docs/dashboard.md).'),
  prefixed('[web_user:x]', S.WEB_USER_KEYS, 'A dashboard account named x (tend only).'),
  exact('[supervisorctl]', S.SUPERVISORCTL_KEYS, 'Settings for the client (tend status, supervisorctl).'),
  exact('[include]', S.INCLUDE_KEYS, 'More files to read; only the main file may include.'),
  prefixed(
    '[alert:x]',
    S.ALERT_KEYS,
    'tend only: an alert by webhook or mail when programs crash, give up or fail health checks (docs/alerts.md).',
  ),
  plugin(
    '[rpcinterface:x]',
    S.RPCINTERFACE_KEYS,
    'Accepted for compatibility; tend always serves the supervisor namespace.',
  ),
  plugin('[ctlplugin:x]', S.CTLPLUGIN_KEYS, 'supervisorctl plugins; accepted and ignored.'),
];

export const sectionKindOf = (section: string): SectionKind | undefined =>
  SECTION_KINDS.find((k) => (k.prefix ? section.startsWith(k.name) : section === k.name));

/** Every key any section kind knows, for checking [DEFAULT]. */
export const ALL_KEYS: ReadonlySet<string> = new Set(SECTION_KINDS.flatMap((k) => Object.keys(k.keys)));
