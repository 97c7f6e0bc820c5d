export interface LoadResult {
  /** Time from handing each item over to its delivery settling, in item order. */
  latenciesMs: number[];
  /** From the first item prepared to the last delivered. */
  wallMs: number;
}

/**
 * Delivers `count` items with at most `concurrency` in flight (a fixed pool of
 * workers, like Alertmanager's parallel notification pipelines). Only
 * `deliver` is timed; `prepare` stands for the sender's own work. The first
 * failure, or an abort, stops new deliveries and is rethrown once the ones in
 * flight have settled, so nothing is left writing behind the caller's back.
 */
export async function runLoad<T>({
  count,
  concurrency,
  prepare,
  deliver,
  signal,
}: {
  count: number;
  concurrency: number;
  prepare: (index: number) => T;
  deliver: (item: T, index: number) => Promise<void>;
  signal?: AbortSignal;
}): Promise<LoadResult> {
  const latenciesMs = new Array<number>(count).fill(0);
  let next = 0;
  let failure: { error: unknown } | undefined;

  async function worker() {
    while (next < count && !failure) {
      const index = next++;
      try {
        signal?.throwIfAborted();
        const item = prepare(index);
        const started = performance.now();
        await deliver(item, index);
        latenciesMs[index] = performance.now() - started;
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  if (failure) throw failure.error;
  return { latenciesMs, wallMs };
}
