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

const kind = (
  title: string,
  match: { name: string; prefix?: boolean; anyKeys?: boolean },
  keys: Readonly<Record<string, AnyKeySpec>>,
  doc: string,
): SectionKind => ({
  title,
  name: match.name,
  prefix: match.prefix ?? false,
  keys,
  anyKeys: match.anyKeys ?? false,
  doc,
});

export const SECTION_KINDS: readonly SectionKind[] = [
  kind(
    '[supervisord]',
    { name: 'supervisord' },
    S.SUPERVISORD_KEYS,
    'Settings of the daemon itself. Required.',
  ),
  kind(
    '[program:x]',
    { name: 'program:', prefix: true },
    S.PROGRAM_KEYS,
    'A program; numprocs processes form the group x unless a [group:y] lists it.',
  ),
  kind(
    '[group:x]',
    { name: 'group:', prefix: true },
    S.GROUP_KEYS,
    'A group of programs addressed as x:name.',
  ),
  kind(
    '[eventlistener:x]',
    { name: 'eventlistener:', prefix: true },
    S.EVENTLISTENER_KEYS,
    'A pool of event listener processes; takes every [program:x] key too.',
  ),
  kind(
    '[fcgi-program:x]',
    { name: 'fcgi-program:', prefix: true },
    S.FCGI_KEYS,
    'A FastCGI program sharing one socket; takes every [program:x] key too.',
  ),
  kind(
    '[unix_http_server]',
    { name: 'unix_http_server', prefix: true },
    S.UNIX_HTTP_SERVER_KEYS,
    'The control socket.',
  ),
  kind(
    '[inet_http_server]',
    { name: 'inet_http_server', prefix: true },
    S.INET_HTTP_SERVER_KEYS,
    'The control port over TCP.',
  ),
  kind(
    '[supervisorctl]',
    { name: 'supervisorctl' },
    S.SUPERVISORCTL_KEYS,
    'Settings for the client (tend status, supervisorctl).',
  ),
  kind(
    '[include]',
    { name: 'include' },
    S.INCLUDE_KEYS,
    'More files to read; only the main file may include.',
  ),
  kind(
    '[rpcinterface:x]',
    { name: 'rpcinterface:', prefix: true, anyKeys: true },
    S.RPCINTERFACE_KEYS,
    'Accepted for compatibility; tend always serves the supervisor namespace.',
  ),
  kind(
    '[ctlplugin:x]',
    { name: 'ctlplugin:', prefix: true, anyKeys: true },
    S.CTLPLUGIN_KEYS,
    'supervisorctl plugins; accepted and ignored.',
  ),
];

export const sectionKindOf = (section: string): SectionKind | undefined =>
  SECTION_KINDS.find((k) => (k.prefix ? section.startsWith(k.name) : section === k.name));

/** Every key any section kind knows, for checking [DEFAULT]. */
export const ALL_KEYS: ReadonlySet<string> = new Set(SECTION_KINDS.flatMap((k) => Object.keys(k.keys)));
