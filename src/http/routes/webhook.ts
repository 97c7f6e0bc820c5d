import { Semaphore } from 'async-mutex';
import { Hono } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { ingestNotification, type IngestContext } from '../../domain/incidents/ingest-notification.js';
import { parseNotification } from '../../domain/incidents/notification.js';
import { beforeDeadline, deadlineIn } from '../../deadline.js';
import type { Metrics, NotificationOutcome } from '../../metrics.js';
import { clientLeftMidBody } from '../client-gone.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { parseJsonBody } from '../params.js';
import { declaredBodyLength, readBodyText } from '../request-body.js';
import { webhookAuth } from '../middleware/auth.js';

const BUDGET_UNIT_BYTES = 64 * 1024;
// Large notifications in the database at once. Each keeps its parsed form until committed; holding a slot, it gives
// its budget to the next large body, whose reading and parsing then overlap this one's write.
const LARGE_IN_DATABASE = 2;
// A body this small is read at once and never waits for the budget: its memory is bounded by its size.
const SMALL_BODY_BYTES = BUDGET_UNIT_BYTES;

/**
 * POST /hooks/alertmanager. The response is sent only after the notification
 * is committed: a 2xx means durable, a 5xx means "retry me" (Alertmanager
 * does), a 4xx means the body itself is wrong (or arrived too slowly).
 */
export function webhookRoutes(deps: {
  ingest: IngestContext;
  metrics: Metrics;
  webhookToken: string | undefined;
  bodyLimit: number;
  intakeBudget: number;
  /** Every request is answered within this (408 for a body still arriving, else 503); none without it. */
  intakeDeadlineMs?: number;
  /** The pace a body must keep (see readBodyText); none without it. */
  bodyMinBytesPerSecond?: number;
  isTransient: (error: unknown) => boolean;
}) {
  const { metrics } = deps;
  // A notification costs several times its size in memory while it is read,
  // parsed and written. Large bodies are taken in up to `intakeBudget` bytes
  // at a time: one announced by its Content-Length waits for its share
  // unread, its sender held back by TCP, so a storm of large notifications
  // queues instead of multiplying the peak; one without (chunked) is read
  // first, capped by the body limit, then waits for its share by its size.
  // Small bodies never wait: a slow large one ahead of them holds nothing
  // they need, and the deadline and the pace bound how long it holds the rest.
  // Parsed, a large notification waits for one of LARGE_IN_DATABASE database
  // slots and then gives its budget back: the next is read and parsed while it
  // is written, and the memory held is the budget's bodies plus two parsed ones.
  // Counted in 64 KiB units: async-mutex walks its whole capacity on each release.
  const capacity = Math.ceil(deps.intakeBudget / BUDGET_UNIT_BYTES);
  const processing = new Semaphore(capacity);
  const unitsOf = (bytes: number) => Math.min(Math.max(Math.ceil(bytes / BUDGET_UNIT_BYTES), 1), capacity);
  const inDatabase = new Semaphore(LARGE_IN_DATABASE);
  /** Waits for `units` of `semaphore`, or the deadline; resolves with their release (given back if too late). */
  const take = async (semaphore: Semaphore, units: number, signal: AbortSignal | undefined) => {
    const [, release] = await beforeDeadline(semaphore.acquire(units), signal, ([, late]) => late());
    return release;
  };
  const takeBudget = (bytes: number, signal: AbortSignal | undefined) => take(processing, unitsOf(bytes), signal);
  return new Hono<AppEnv>().post(
    '/hooks/alertmanager',
    webhookAuth({ token: deps.webhookToken, onReject: () => metrics.notifications.inc({ outcome: 'unauthorized' }) }),
    async function receiveNotification(c) {
      const contentType = c.req.header('content-type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
        metrics.notifications.inc({ outcome: 'invalid' });
        return errorResponse(
          c,
          'unsupported_media_type',
          `expected Content-Type application/json, got "${contentType || '(none)'}"`,
        );
      }
      const stopTimer = metrics.ingestDuration.startTimer();
      const ms = deps.intakeDeadlineMs;
      const deadline =
        ms === undefined
          ? undefined
          : deadlineIn(
              ms,
              () =>
                new DomainError(
                  'unavailable',
                  `intake could not finish within ${ms / 1000} s (database or intake queue too slow); retry later`,
                ),
            );
      const signal = deadline?.signal;
      let release: (() => void) | null = null;
      try {
        // Refused before queueing when the body says it is too large.
        const declared = declaredBodyLength(c, deps.bodyLimit);
        if (declared !== null && declared > SMALL_BODY_BYTES) release = await takeBudget(declared, signal);
        const text = await readBodyText(c, deps.bodyLimit, { signal, minBytesPerSecond: deps.bodyMinBytesPerSecond });
        // In characters, about its bytes: JSON is mostly ASCII.
        if (declared === null && text.length > SMALL_BODY_BYTES) release = await takeBudget(text.length, signal);
        const input = parseNotification(parseJsonBody(text));
        if (release) {
          const leaveDatabase = await take(inDatabase, 1, signal);
          release();
          release = leaveDatabase;
        }
        const summary = await beforeDeadline(ingestNotification({ ctx: deps.ingest, input, deadline }), signal);
        metrics.notifications.inc({ outcome: summary.fresh ? 'accepted' : 'duplicate' });
        metrics.alertsIngested.inc(summary.changed);
        metrics.duplicatesSkipped.inc(summary.duplicates);
        return c.json({ status: 'ok', ...summary });
      } catch (error) {
        metrics.notifications.inc({ outcome: outcomeOf(error, deps.isTransient, clientLeftMidBody(c)) });
        throw error;
      } finally {
        release?.();
        deadline?.clear();
        stopTimer();
      }
    },
  );
}

// As the error handler answers: a domain error by its code, then a sender that left mid-body, then the database.
function outcomeOf(error: unknown, isTransient: (error: unknown) => boolean, senderLeft: boolean): NotificationOutcome {
  if (error instanceof DomainError) {
    if (error.code === 'unavailable') return 'unavailable';
    // A body that is wrong, too large or too slow: the sender's doing.
    return error.code === 'invalid_input' || error.code === 'payload_too_large' || error.code === 'request_timeout'
      ? 'invalid'
      : 'error';
  }
  if (senderLeft) return 'aborted';
  return isTransient(error) ? 'unavailable' : 'error';
}
