import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../domain/errors.js';
import { ingestNotification, type IngestContext } from '../../domain/incidents/ingest-notification.js';
import { parseNotification } from '../../domain/incidents/notification.js';
import type { Metrics } from '../../metrics.js';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { parseJsonBody } from '../params.js';
import { webhookAuth } from '../middleware/auth.js';

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
  isTransient: (error: unknown) => boolean;
}) {
  const { metrics } = deps;
  return new Hono<AppEnv>().post(
    '/hooks/alertmanager',
    webhookAuth({ token: deps.webhookToken, onReject: () => metrics.notifications.inc({ outcome: 'unauthorized' }) }),
    bodyLimit({
      maxSize: deps.bodyLimit,
      onError: (c) => {
        metrics.notifications.inc({ outcome: 'invalid' });
        return errorResponse(c, 'payload_too_large', `body exceeds ${deps.bodyLimit} bytes`);
      },
    }),
    async function receiveNotification(c) {
      const contentType = c.req.header('content-type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
        metrics.notifications.inc({ outcome: 'invalid' });
        return errorResponse(c, 'unsupported_media_type', `expected Content-Type application/json, got "${contentType || '(none)'}"`);
      }
      const stopTimer = metrics.ingestDuration.startTimer();
      try {
        const notification = parseNotification(parseJsonBody(await c.req.text()));
        const summary = await ingestNotification({ ctx: deps.ingest, input: notification });
        metrics.notifications.inc({ outcome: summary.fresh ? 'accepted' : 'duplicate' });
        metrics.alertsIngested.inc(summary.changed);
        metrics.duplicatesSkipped.inc(summary.duplicates);
        return c.json({ status: 'ok', ...summary });
      } catch (error) {
        metrics.notifications.inc({ outcome: outcomeOf(error, deps.isTransient) });
        throw error;
      } finally {
        stopTimer();
      }
    },
  );
}

function outcomeOf(error: unknown, isTransient: (error: unknown) => boolean): string {
  if (error instanceof DomainError) return error.code === 'invalid_input' ? 'invalid' : 'error';
  return isTransient(error) ? 'unavailable' : 'error';
}
