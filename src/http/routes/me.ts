import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { acceptsQuery } from '../params.js';

/** What the notebook may offer, decided by the server's configuration. */
export interface Features {
  /** Alertmanagers are configured (`ALERTBOOK_ALERTMANAGERS`): incidents can be silenced. */
  silences: boolean;
  /** The webhook wants `ALERTBOOK_WEBHOOK_TOKEN` (unset: it runs open): what the wiring steps tell Alertmanager. */
  webhookToken: boolean;
}

/** Who the API takes the caller to be (the name recorded as actor on what they do), and what they can use. */
export function meRoutes(features: Features) {
  return new Hono<AppEnv>().get('/me', acceptsQuery(), (c) => c.json({ actor: c.get('actor'), features }));
}
