/** One measured configuration: `notifications` of `alertCount` alerts each, `concurrency` in flight. */
export interface Scenario {
  /** Tells this run's groups apart from any other's. */
  run: string;
  alertCount: number;
  notifications: number;
  concurrency: number;
  /** Stops sending new notifications (Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Sent before measuring, at the scenario's concurrency: pool connections and
 * prepared statements warm up, and the JIT compiles intake's hot path. Each row
 * starts a fresh app process; a running service has served thousands of
 * notifications, and it took about 2,000 here for the CPU per notification to
 * settle (it kept falling by a fifth after 200).
 */
export const WARM_UP = { notifications: 2_000, alertCount: 10 } as const;
