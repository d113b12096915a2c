// What a log file reports about itself: the events of a failing disk, and its counters.

export type FileHealth =
  /** The file cannot be written: output is held from now on. */
  | { readonly kind: 'failed'; readonly path: string; readonly error: string }
  /** The hold is full: from now on its oldest lines are dropped (reported once per failure). */
  | { readonly kind: 'dropping'; readonly path: string; readonly error: string; readonly time: number }
  /** Writable again and the held output written: what the failure cost in all. */
  | {
      readonly kind: 'recovered';
      readonly path: string;
      readonly droppedBytes: number;
      readonly droppedLines: number;
    };

export interface FileStats {
  /** Output bytes written to the file (and its rotated copies). */
  readonly writtenBytes: number;
  /** Output bytes dropped because the file could not be written, and the lines they ended. */
  readonly droppedBytes: number;
  readonly droppedLines: number;
  /** Output bytes waiting in memory for the file to take them. */
  readonly heldBytes: number;
  readonly rotations: number;
  /** When output was last dropped (epoch ms); null if never. */
  readonly lastDrop: number | null;
  /** Why the file cannot be written (an errno code such as ENOSPC); null while it can. */
  readonly error: string | null;
}
