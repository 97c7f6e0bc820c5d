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
 * prepared statements warm up, and the JIT compiles intake's hot path (each
 * row starts a fresh app process, as a long-running service would have it warm).
 */
export const WARM_UP = { notifications: 200, alertCount: 10 } as const;
