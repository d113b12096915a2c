// What the page knows about each process, keyed by namespec (GROUP:NAME).

export interface Info {
  readonly name: string;
  readonly group: string;
  readonly start: number;
  readonly now: number;
  readonly statename: string;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly pid: number;
  readonly description: string;
  readonly tend?: {
    readonly health: string | null;
    readonly lastError: string | null;
    readonly restarts: number;
    readonly ready: string;
    readonly stats: { readonly cpuPercent: number | null; readonly rssBytes: number } | null;
  };
}

export interface Row {
  info: Info;
  cpu: number | null;
  rss: number | null;
  /** Recent CPU% figures, oldest first, for the sparkline. */
  readonly history: number[];
  /** Seconds to add to the page's clock to get the daemon's. */
  skew: number;
}

export const HISTORY = 30;

export const namespec = (info: Pick<Info, 'group' | 'name'>): string => `${info.group}:${info.name}`;

export const rows = new Map<string, Row>();

export const upsert = (info: Info): Row => {
  const key = namespec(info);
  const skew = info.now - Date.now() / 1000;
  const row = rows.get(key);
  const stats = info.tend?.stats ?? null;
  if (row === undefined) {
    const made: Row = {
      info,
      cpu: stats?.cpuPercent ?? null,
      rss: stats?.rssBytes ?? null,
      history: [],
      skew,
    };
    rows.set(key, made);
    return made;
  }
  row.info = info;
  row.skew = skew;
  return row;
};

export const applyStats = (
  key: string,
  figures: readonly [number | null, number] | null,
): Row | undefined => {
  const row = rows.get(key);
  if (row === undefined) return undefined;
  row.cpu = figures?.[0] ?? null;
  row.rss = figures?.[1] ?? null;
  row.history.push(row.cpu ?? 0);
  if (row.history.length > HISTORY) row.history.shift();
  return row;
};
