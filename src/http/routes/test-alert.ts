import { Hono } from 'hono';
import type { Clock } from '../../domain/clock.js';
import { testAlertNotification } from '../../domain/incidents/test-alert.js';
import type { AppEnv } from '../env.js';

/**
 * `POST /test-alert`: a notification sent through the webhook route itself
 * (its parsing, deduplication, metrics), so the first incident a newcomer sees
 * took the path every real one takes.
 */
export function testAlertRoutes(deps: { clock: Clock; postToWebhook(body: unknown): Promise<Response> }) {
  return new Hono<AppEnv>().post('/test-alert', async (c) => {
    const body = testAlertNotification({
      actor: c.get('actor'),
      now: deps.clock(),
      externalURL: new URL(c.req.url).origin,
    });
    const answer = await deps.postToWebhook(body);
    return c.json(await answer.json(), answer.ok ? 201 : (answer.status as 503));
  });
}
