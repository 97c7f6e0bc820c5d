/** When a piece of work must be answered by: a signal that fires then, and the time itself. */
export interface Deadline {
  signal: AbortSignal;
  /** `Date.now()` at which the signal fires. */
  at: number;
}

// Beyond the caller's deadline: it must hear of the deadline from its own timer, not from a cancelled statement.
const SERVER_TIMEOUT_MARGIN_MS = 1_000;

/**
 * How long the database may spend on work under `deadline` (a statement, a lock wait, a silent session) before it
 * ends it and drops its locks: the time left, plus a margin so that the caller hears of the deadline first.
 */
export function serverTimeoutMs(deadline: Deadline): number {
  return Math.max(Math.ceil(deadline.at - Date.now()), 1) + SERVER_TIMEOUT_MARGIN_MS;
}

/** A deadline `ms` from now, aborting with `reason()`; `clear()` once the work is answered. */
export function deadlineIn(ms: number, reason: () => unknown): Deadline & { clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, at: Date.now() + ms, clear: () => clearTimeout(timer) };
}

/**
 * `work`'s outcome, or the signal's reason if it fires first. Work overtaken
 * by the deadline goes on unobserved: `overtaken` receives its value should it
 * still come (to give back what it holds), a late failure is dropped.
 */
export function beforeDeadline<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  overtaken?: (value: T) => void,
): Promise<T> {
  if (!signal) return work;
  const abandon = () => void work.then(overtaken, () => {});
  if (signal.aborted) {
    abandon();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      abandon();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
