// The sizes that bound what the log pipeline keeps in memory (docs/logs.md explains them).

/**
 * The longest line the pipeline keeps whole: rotation moves a started line of up to this many
 * bytes to the next file, and a full disk drops held output by whole lines of up to this size.
 * A longer line is written in pieces. 64 KiB is what one pipe read delivers (and the capacity of
 * a default Linux pipe), above journald's 48 KiB LineMax and Docker's 16 KiB split, so real log
 * lines fit; and it is what a rotation reads back from the file to move a line, never more.
 */
export const LINE_MAX = 64 * 1024;

/** Bytes one log file holds in memory while it cannot be written (disk full, directory gone). */
export const HOLD_PER_FILE = 4 * 1024 * 1024;

/**
 * Bytes all files of one daemon hold together while they cannot be written: a full disk fails
 * every file at once, and 1000 programs × 4 MiB would be 4 GiB. Past it each file still keeps
 * its newest LINE_MAX bytes.
 */
export const HOLD_TOTAL = 32 * 1024 * 1024;
