import { PrometheusError } from '../prometheus/errors.js';
import type { QueryResult } from '../prometheus/types.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { LiveErrorCode } from './server-messages.js';
import type { TimerHandle, Timers } from './timers.js';
import { isPolled, windowAt, type UpstreamQuery } from './upstream-query.js';

/** What the hub needs of a datasource; the Prometheus client's `range` fits. */
export interface RangeQueries {
  range(input: { query: string; start: number; end: number; step: number; signal?: AbortSignal }): Promise<QueryResult>;
}

export interface UpstreamAnswer {
  result: QueryResult;
  start: number;
  end: number;
}

export interface UpstreamFailure {
  code: LiveErrorCode;
  message: string;
  /** False for a query the upstream rejects as such (parse error…): asking again cannot help. */
  retryable: boolean;
  position?: { line: number; column: number };
  /** For the log, when the failure is not one the Prometheus client describes. */
  cause?: unknown;
}

export interface PollerOptions {
  source: RangeQueries;
  timers: Timers;
  random: () => number;
  backoff: BackoffPolicy;
  maxPoints: number;
  intervalMs: number;
  onAnswer(answer: UpstreamAnswer): void;
  onFailure(failure: UpstreamFailure): void;
  /** A request leaves; onSettled follows exactly once. */
  onRequest(): void;
  /** A request ended: `ok`, the failure's code, or `canceled` (stopped meanwhile); and how long it took. */
  onSettled(outcome: string, seconds: number): void;
}

// Timers may fire a millisecond early; landing just past the step boundary makes the
// window end on the boundary that was just crossed, not on the one before it.
const TICK_OFFSET_MS = 10;

/**
 * Runs one upstream query on a schedule: at once, then on every multiple of the
 * interval (a fixed window: once). The next request is only scheduled when the
 * previous one has settled, so at most one is ever in flight. Failures the
 * upstream may recover from are retried with exponential backoff and jitter.
 */
export class UpstreamPoller {
  private timer: TimerHandle | null = null;
  private inFlight: { controller: AbortController; began: number } | null = null;
  private failures = 0;
  private stopped = false;
  private intervalMs: number;

  constructor(
    private readonly query: UpstreamQuery,
    private readonly options: PollerOptions,
  ) {
    this.intervalMs = options.intervalMs;
  }

  start(): void {
    void this.run();
  }

  /** Subscribers came or went: poll at their fastest refresh from the next tick on. */
  setIntervalMs(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    this.intervalMs = intervalMs;
    if (this.timer !== null && this.failures === 0) this.schedule(this.untilNextTick());
  }

  /** Stops polling and abandons the request in flight; no callback but its onSettled runs afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) {
      this.inFlight.controller.abort();
      this.options.onSettled('canceled', (this.options.timers.now() - this.inFlight.began) / 1000);
      this.inFlight = null;
    }
  }

  private async run(): Promise<void> {
    const { source, timers } = this.options;
    this.timer = null;
    const request = { controller: new AbortController(), began: timers.now() };
    this.inFlight = request;
    this.options.onRequest();
    const { start, end } = windowAt(this.query, timers.now() / 1000, this.options.maxPoints);
    const seconds = () => (timers.now() - request.began) / 1000;
    const { signal } = request.controller;
    try {
      const result = await source.range({ query: this.query.query, start, end, step: this.query.step, signal });
      if (this.stopped) return;
      this.inFlight = null;
      this.options.onSettled('ok', seconds());
      this.failures = 0;
      this.options.onAnswer({ result, start, end });
      if (isPolled(this.query)) this.schedule(this.untilNextTick());
    } catch (error) {
      if (this.stopped) return;
      this.inFlight = null;
      const failure = toFailure(error);
      this.options.onSettled(failure.code, seconds());
      this.failures += 1;
      this.options.onFailure(failure);
      if (failure.retryable) {
        const backoff = backoffDelay(this.failures, this.options.backoff, this.options.random);
        this.schedule(isPolled(this.query) ? Math.max(backoff, this.untilNextTick()) : backoff);
      }
    }
  }

  private untilNextTick(): number {
    const now = this.options.timers.now();
    return this.intervalMs - (now % this.intervalMs) + TICK_OFFSET_MS;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = this.options.timers.setTimeout(() => void this.run(), delayMs);
  }
}

function toFailure(error: unknown): UpstreamFailure {
  if (error instanceof PrometheusError) {
    return {
      code: error.kind,
      message: error.message,
      retryable: error.retryable,
      ...(error.position ? { position: error.position } : {}),
    };
  }
  // Not the client's own error type: a bug somewhere, worth retrying rather than going silent.
  return { code: 'internal', message: 'internal error querying the datasource', retryable: true, cause: error };
}
