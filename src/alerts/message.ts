import type { TendEvent } from '../events/index.js';
import { accountOf } from './describe.js';
import { programOf } from './select.js';

// One alert message: the events gathered for it, each with what happened, to which program,
// when, why, and the last lines of that program's stderr (as superlance's crashmail mails a
// crash). Rendered three ways: plain text (mail), tend's JSON document, a Slack message.

/** The most events one message details; the rest are counted in it. */
export const MAX_DETAILED = 50;
/** Longest stderr excerpt per event, in characters. */
export const MAX_STDERR_CHARS = 4000;

export interface AlertItem {
  readonly event: TendEvent;
  /** The tail of the program's stderr log when the event happened; null when there is none. */
  readonly stderr: string | null;
}

export interface AlertMessage {
  readonly alert: string;
  readonly host: string;
  /** A message sent by `tend alert test`. */
  readonly test: boolean;
  readonly items: readonly AlertItem[];
  /** Events gathered for this message but not detailed (beyond MAX_DETAILED). */
  readonly more: number;
  /** Events lost before this message because the alert's queue was full. */
  readonly dropped: number;
  /** Epoch ms. */
  readonly createdAt: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The namespecs a message is about, sorted, without repeats. */
export const programsOf = (m: AlertMessage): string[] =>
  [...new Set(m.items.flatMap((i) => programOf(i.event) ?? []))].sort();

/** One line that says it all: the mail subject, the Slack headline, the JSON `summary`. */
export const summaryOf = (m: AlertMessage): string => {
  if (m.test) return `[tend ${m.host}] test message from alert ${m.alert}`;
  const first = m.items[0];
  const total = m.items.length + m.more;
  if (total === 1 && first !== undefined) {
    return `[tend ${m.host}] ${programOf(first.event) ?? 'daemon'} ${accountOf(first.event).what}`;
  }
  const programs = programsOf(m);
  const shown = programs.slice(0, 5).join(', ') + (programs.length > 5 ? ', …' : '');
  return `[tend ${m.host}] ${total} events${programs.length === 0 ? '' : ` about ${shown}`}`;
};

const indent = (text: string, prefix: string): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');

const itemText = (item: AlertItem): string => {
  const { what, why } = accountOf(item.event);
  const lines = [`${iso(item.event.time)}  ${programOf(item.event) ?? 'daemon'}  ${item.event.type}`];
  lines.push(`  what: ${what}`);
  if (why !== null && why !== '') lines.push(`  why:  ${why}`);
  if (item.stderr !== null && item.stderr !== '')
    lines.push('  last stderr lines:', indent(item.stderr, '  | '));
  return lines.join('\n');
};

const TEST_TEXT = (m: AlertMessage): string =>
  `This is a test message from tend on ${m.host}, alert [alert:${m.alert}], sent by \`tend alert test\` at ${iso(m.createdAt)}.\nIf you read this, the alert reaches you.`;

/** The plain-text body (mail). */
export const renderText = (m: AlertMessage): string => {
  if (m.test) return `${TEST_TEXT(m)}\n`;
  const n = m.items.length + m.more;
  const parts = [`tend on ${m.host}, alert [alert:${m.alert}]: ${n} event${n === 1 ? '' : 's'}`];
  if (m.dropped > 0) parts.push(`(${m.dropped} earlier events were dropped: the alert's queue was full)`);
  parts.push(...m.items.map(itemText));
  if (m.more > 0) parts.push(`… and ${m.more} more events (see \`tend events\`)`);
  return `${parts.join('\n\n')}\n`;
};

/** tend's JSON document (format = json); docs/alerts.md describes every field. */
export const renderJson = (m: AlertMessage): object => ({
  source: 'tend',
  version: 1,
  alert: m.alert,
  host: m.host,
  test: m.test,
  summary: summaryOf(m),
  createdAt: iso(m.createdAt),
  programs: programsOf(m),
  more: m.more,
  dropped: m.dropped,
  events: m.items.map((item) => ({
    type: item.event.type,
    serial: item.event.serial,
    time: iso(item.event.time),
    program: programOf(item.event),
    ...accountOf(item.event),
    stderr: item.stderr,
    event: item.event,
  })),
});

const slackItem = (item: AlertItem): string => {
  const { what, why } = accountOf(item.event);
  const head = `*${programOf(item.event) ?? 'daemon'}* ${what}${why === null || why === '' ? '' : ` — ${why}`}`;
  // Slack's code blocks end at three backquotes, so none may appear inside.
  const stderr = item.stderr?.replaceAll('```', "'''") ?? '';
  return stderr === '' ? head : `${head}\n\`\`\`${stderr.replace(/\n$/, '')}\`\`\``;
};

/** A Slack incoming-webhook message (format = slack). */
export const renderSlack = (m: AlertMessage): object => {
  if (m.test) return { text: `${summaryOf(m)}\n${TEST_TEXT(m)}` };
  const lines = [summaryOf(m), ...m.items.map(slackItem)];
  if (m.more > 0) lines.push(`… and ${m.more} more events`);
  if (m.dropped > 0) lines.push(`(${m.dropped} earlier events dropped: the alert's queue was full)`);
  return { text: lines.join('\n') };
};
