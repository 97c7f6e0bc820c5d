/**
 * The hub's sense of time, injected so scheduler tests are deterministic.
 * The defaults look the globals up on every call, so `vi.useFakeTimers()`
 * takes effect even on a hub built before it was called. They are unref'd:
 * the server's sockets keep the process alive, a hub's polling alone does not
 * (a test that forgets `hub.close()` still ends).
 */
export interface Timers {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = ReturnType<typeof setTimeout>;

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle),
};
