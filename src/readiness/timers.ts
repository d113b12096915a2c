// Time as the readiness layer sees it: structurally the process layer's Clock, so the supervisor
// passes its own clock (a fake one in unit tests) without readiness importing process internals.

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  now(): number;
  setTimer(ms: number, callback: () => void): TimerHandle;
}
