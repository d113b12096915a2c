// When each part of a log file arrived, without per-line work on the hot path: one mark per flush
// (the time and the file's size after it), so `tend logs` can stamp the lines it reads back, merge
// several programs' history in arrival order, and start `--since` at the right offset.
//
// Every flush has its own mark, so recent output of several programs merges in exactly the order
// it was read. When MAX_MARKS are kept, neighbours are merged where that costs little beside their
// age, so old output gets coarser times (and an approximate order between programs). A merged mark
// keeps the later time: a line is never stamped earlier than it arrived, so `--since` never hides
// one that came after it.
// The marks describe one file: a rotation, a clear or a reopen starts them over.

const MAX_MARKS = 1024;
const AGE_RATIO = 32;

export class Arrivals {
  #at: number[] = [];
  #end: number[] = [];
  /** File size when the marks started: what lies before has no known time. */
  #base = 0;
  #generation = -1;

  /** Which file the marks describe (-1: none yet); see restart(). */
  get generation(): number {
    return this.#generation;
  }

  /** After a flush into the same file: `size` is its size now. */
  record(now: number, size: number): void {
    const n = this.#at.length;
    const last = n === 0 ? this.#base : (this.#end[n - 1] ?? 0);
    if (size <= last) return;
    if (n > 0 && now <= (this.#at[n - 1] ?? 0)) {
      this.#end[n - 1] = size;
      return;
    }
    this.#at.push(now);
    this.#end.push(size);
    if (this.#at.length >= MAX_MARKS) this.#compact(now);
  }

  /** The file is a new one (rotated, cleared, reopened); what it already holds has no time. */
  restart(generation: number, size: number): void {
    this.#generation = generation;
    this.#base = size;
    this.#at = [];
    this.#end = [];
  }

  /** When the byte before `offset` arrived (the end of a line), or null if it is not known. */
  timeOf(offset: number): number | null {
    if (offset <= this.#base) return null;
    let lo = 0;
    let hi = this.#end.length - 1;
    if (hi < 0 || (this.#end[hi] ?? 0) < offset) return null;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#end[mid] ?? 0) >= offset) hi = mid;
      else lo = mid + 1;
    }
    return this.#at[lo] ?? null;
  }

  /** The offset from which every byte arrived at `since` or later (the base when none is known). */
  offsetSince(since: number): number {
    let offset = this.#base;
    for (let i = 0; i < this.#at.length && (this.#at[i] ?? 0) < since; i++) offset = this.#end[i] ?? offset;
    return offset;
  }

  // Merges neighbours whose joint span is small beside their age (at most 1/AGE_RATIO of it), so
  // a line is stamped at most that much late: an hour-old line within two minutes. If that frees
  // too little, the oldest marks go (their bytes have no time any more).
  #compact(now: number): void {
    const at: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < this.#at.length; i++) {
      const t = this.#at[i] ?? 0;
      const k = at.length - 1;
      const spanStart = k >= 1 ? (at[k - 1] ?? 0) : -Infinity;
      if (k >= 1 && (t - spanStart) * AGE_RATIO <= now - t) {
        at[k] = t;
        end[k] = this.#end[i] ?? 0;
      } else {
        at.push(t);
        end.push(this.#end[i] ?? 0);
      }
    }
    const excess = at.length - Math.floor((MAX_MARKS * 3) / 4);
    if (excess > 0) {
      this.#base = end[excess - 1] ?? this.#base;
      at.splice(0, excess);
      end.splice(0, excess);
    }
    this.#at = at;
    this.#end = end;
  }
}
