// A program's tree CPU is a sum over the processes alive in it now, plus what they have reaped.
// A member that exits without being reaped by another member (its parent auto-reaps, or it was
// reparented out of the tree) takes its CPU out of the sum, and a counter that goes down is read
// by Prometheus as a reset, which rate() turns into a spike. So within one run of a process (one
// spawn) the counter never goes down: a drop is carried over. A new spawn starts from its own sum.

interface Seen {
  readonly run: number;
  last: number;
  carried: number;
}

export class MonotonicCpu {
  readonly #seen = new WeakMap<object, Seen>();

  /** The CPU seconds to report for `owner`'s tree, measured `seconds` in its run `run`. */
  value(owner: object, run: number, seconds: number): number {
    const seen = this.#seen.get(owner);
    if (seen?.run !== run) {
      this.#seen.set(owner, { run, last: seconds, carried: 0 });
      return seconds;
    }
    if (seconds < seen.last) seen.carried += seen.last - seconds;
    seen.last = seconds;
    return seconds + seen.carried;
  }
}
