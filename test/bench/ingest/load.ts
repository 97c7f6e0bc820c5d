export interface LoadResult {
  /** Time from handing each item over to its delivery settling, in item order. */
  latenciesMs: number[];
  /** From the first delivery started to the last settled. */
  wallMs: number;
}

/**
 * Delivers `items` with at most `concurrency` in flight (a fixed pool of
 * workers, like Alertmanager's parallel notification pipelines). The items
 * are built by the caller before the clock starts: Alertmanager builds its
 * payloads on a machine of its own, and here the sender shares the server's
 * cores. The first failure, or an abort, stops new deliveries and is rethrown
 * once the ones in flight have settled, so nothing is left writing behind the
 * caller's back.
 */
export async function runLoad<T>({
  items,
  concurrency,
  deliver,
  signal,
}: {
  items: T[];
  concurrency: number;
  deliver: (item: T, index: number) => Promise<void>;
  signal?: AbortSignal;
}): Promise<LoadResult> {
  const count = items.length;
  const latenciesMs = new Array<number>(count).fill(0);
  let next = 0;
  let failure: { error: unknown } | undefined;

  async function worker() {
    while (next < count && !failure) {
      const index = next++;
      try {
        signal?.throwIfAborted();
        const started = performance.now();
        await deliver(items[index]!, index);
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
