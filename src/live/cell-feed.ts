import type { BackoffPolicy } from './backoff.js';
import { SeriesTracker, type SeriesUpdate } from './series-delta.js';
import type { DataPayload } from './server-messages.js';
import type { Timers } from './timers.js';
import { UpstreamPoller, type RangeQueries, type UpstreamAnswer, type UpstreamFailure } from './upstream-poller.js';
import type { UpstreamQuery } from './upstream-query.js';

export interface FeedOptions<S extends { refreshMs: number }> {
  source: RangeQueries;
  timers: Timers;
  random: () => number;
  backoff: BackoffPolicy;
  maxPoints: number;
  /** New data or a new failure: bring the subscribers up to date. */
  onChange(feed: CellFeed<S>): void;
  onRequest(): void;
  onSettled(outcome: string, seconds: number): void;
}

interface Latest {
  answer: UpstreamAnswer;
  meta: Pick<DataPayload, 'truncated' | 'totalSeries' | 'warnings'>;
  update: SeriesUpdate;
  fullJson?: string;
  deltaJson?: string;
}

/**
 * One upstream query and everyone watching it: polls while it has subscribers,
 * keeps the latest answer (a new subscriber gets it at once) and encodes each
 * answer once, as a full frame and as a delta from the answer before.
 */
export class CellFeed<S extends { refreshMs: number }> {
  readonly subscribers = new Set<S>();
  private answers = 0;
  private failures = 0;
  private currentFailure: UpstreamFailure | null = null;
  private latest: Latest | null = null;
  private readonly tracker = new SeriesTracker();
  private readonly poller: UpstreamPoller;

  constructor(
    readonly key: string,
    readonly query: UpstreamQuery,
    private readonly options: FeedOptions<S>,
  ) {
    this.poller = new UpstreamPoller(query, {
      ...options,
      intervalMs: this.query.step * 1000,
      onAnswer: (answer) => this.answered(answer),
      onFailure: (failure) => this.failed(failure),
    });
  }

  /** Counts answers; a subscriber that saw answer n − 1 can take the delta of answer n. */
  get dataVersion(): number {
    return this.answers;
  }

  /** The last request's failure, cleared by the next answer. */
  get failure(): UpstreamFailure | null {
    return this.currentFailure;
  }

  /** Counts distinct failures (a retry failing the same way is not new), so each is sent once. */
  get failureVersion(): number {
    return this.failures;
  }

  start(): void {
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }

  add(subscriber: S): void {
    this.subscribers.add(subscriber);
    this.retime();
  }

  remove(subscriber: S): void {
    this.subscribers.delete(subscriber);
    this.retime();
  }

  /**
   * The data payload (JSON) for a subscriber whose last data was answer
   * `seenVersion`: a delta when it has the answer just before, else full. Null before the first answer.
   */
  payloadFor(seenVersion: number): string | null {
    const latest = this.latest;
    if (!latest) return null;
    if (seenVersion > 0 && seenVersion === this.answers - 1) {
      latest.deltaJson ??= JSON.stringify(this.payload(latest, true));
      return latest.deltaJson;
    }
    latest.fullJson ??= JSON.stringify(this.payload(latest, false));
    return latest.fullJson;
  }

  /** Poll at the fastest refresh any subscriber asked for, but no faster than new points appear. */
  private retime(): void {
    let fastest = Infinity;
    for (const { refreshMs } of this.subscribers) fastest = Math.min(fastest, refreshMs);
    if (Number.isFinite(fastest)) this.poller.setIntervalMs(Math.max(fastest, this.query.step * 1000));
  }

  private answered(answer: UpstreamAnswer): void {
    const { result } = answer;
    if (!('series' in result)) {
      this.failed({ code: 'upstream', message: `a range query answered a ${result.resultType}`, retryable: false });
      return;
    }
    this.latest = {
      answer,
      meta: {
        truncated: result.truncated,
        totalSeries: result.totalSeries,
        ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
      },
      update: this.tracker.update(result.series),
    };
    this.answers += 1;
    this.currentFailure = null;
    this.options.onChange(this);
  }

  private failed(failure: UpstreamFailure): void {
    const repeated = this.currentFailure?.code === failure.code && this.currentFailure.message === failure.message;
    this.currentFailure = failure;
    if (repeated) return;
    this.failures += 1;
    this.options.onChange(this);
  }

  private payload({ answer, meta, update }: Latest, delta: boolean): DataPayload {
    return {
      delta,
      resultType: 'matrix',
      from: answer.start,
      to: answer.end,
      step: this.query.step,
      series: delta ? update.changed : update.full,
      ...(delta && update.removed.length > 0 ? { removed: update.removed } : {}),
      ...meta,
    };
  }
}
