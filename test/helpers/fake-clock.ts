import type { Clock, TimerHandle } from '../../src/process/index.js';

interface PendingTimer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

// A clock whose time moves only when the test says so; due timers fire in time order.
export class FakeClock implements Clock {
  #now: number;
  /** Monotonic time: moves with advance(), never with jumpWall(). */
  #mono = 0;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  monotonic(): number {
    return this.#mono;
  }

  /** Steps the wall clock (NTP, `date -s`) without moving monotonic time or firing timers. */
  jumpWall(ms: number): void {
    this.#now += ms;
    for (const t of this.#timers) t.at += ms;
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = {
      at: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#set(Math.max(this.#now, due.at));
      due.callback();
    }
    this.#set(target);
  }

  #set(now: number): void {
    this.#mono += now - this.#now;
    this.#now = now;
  }

  /** Moves time forward without firing timers, as a busy event loop delays them. */
  jump(ms: number): void {
    this.#set(this.#now + ms);
  }

  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }
}
