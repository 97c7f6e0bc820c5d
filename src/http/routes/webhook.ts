import { Semaphore } from 'async-mutex';
import { Hono } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { ingestNotification, type IngestContext } from '../../domain/incidents/ingest-notification.js';
import { parseNotification } from '../../domain/incidents/notification.js';
import type { Metrics, NotificationOutcome } from '../../metrics.js';
import { clientLeftMidBody } from '../client-gone.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { parseJsonBody } from '../params.js';
import { declaredBodyLength, readBodyText } from '../request-body.js';
import { webhookAuth } from '../middleware/auth.js';

const BUDGET_UNIT_BYTES = 64 * 1024;

/**
 * POST /hooks/alertmanager. The response is sent only after the notification
 * is committed: a 2xx means durable, a 5xx means "retry me" (Alertmanager
 * does), a 4xx means the body itself is wrong.
 */
export function webhookRoutes(deps: {
  ingest: IngestContext;
  metrics: Metrics;
  webhookToken: string | undefined;
  bodyLimit: number;
  intakeBudget: number;
  isTransient: (error: unknown) => boolean;
}) {
  const { metrics } = deps;
  // A notification costs several times its size in memory while it is read,
  // parsed and written. Bodies are taken in up to `intakeBudget` bytes at a
  // time, by their Content-Length (without one, a body goes alone); the rest
  // wait their turn in arrival order, unread, their senders held back by TCP:
  // a storm of large notifications queues instead of multiplying the peak.
  // Counted in 64 KiB units: async-mutex walks its whole capacity on each release.
  const capacity = Math.ceil(deps.intakeBudget / BUDGET_UNIT_BYTES);
  const processing = new Semaphore(capacity);
  const unitsOf = (bytes: number) => Math.min(Math.max(Math.ceil(bytes / BUDGET_UNIT_BYTES), 1), capacity);
  return new Hono<AppEnv>().post(
    '/hooks/alertmanager',
    webhookAuth({ token: deps.webhookToken, onReject: () => metrics.notifications.inc({ outcome: 'unauthorized' }) }),
    async function receiveNotification(c) {
      const contentType = c.req.header('content-type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
        metrics.notifications.inc({ outcome: 'invalid' });
        return errorResponse(c, 'unsupported_media_type', `expected Content-Type application/json, got "${contentType || '(none)'}"`);
      }
      const stopTimer = metrics.ingestDuration.startTimer();
      try {
        // Refused before queueing when the body says it is too large.
        const declared = declaredBodyLength(c, deps.bodyLimit);
        const summary = await processing.runExclusive(
          async () => ingestNotification({ ctx: deps.ingest, input: parseNotification(parseJsonBody(await readBodyText(c, deps.bodyLimit))) }),
          unitsOf(declared ?? deps.intakeBudget),
        );
        metrics.notifications.inc({ outcome: summary.fresh ? 'accepted' : 'duplicate' });
        metrics.alertsIngested.inc(summary.changed);
        metrics.duplicatesSkipped.inc(summary.duplicates);
        return c.json({ status: 'ok', ...summary });
      } catch (error) {
        metrics.notifications.inc({ outcome: outcomeOf(error, deps.isTransient, clientLeftMidBody(c)) });
        throw error;
      } finally {
        stopTimer();
      }
    },
  );
}

// As the error handler answers: a domain error by its code, then a sender that left mid-body, then the database.
function outcomeOf(error: unknown, isTransient: (error: unknown) => boolean, senderLeft: boolean): NotificationOutcome {
  if (error instanceof DomainError) return error.code === 'invalid_input' || error.code === 'payload_too_large' ? 'invalid' : 'error';
  if (senderLeft) return 'aborted';
  return isTransient(error) ? 'unavailable' : 'error';
}
