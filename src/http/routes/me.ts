import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { acceptsQuery } from '../params.js';

/** Who the API takes the caller to be: the name recorded as actor on what they do. */
export function meRoutes() {
  return new Hono<AppEnv>().get('/me', acceptsQuery(), (c) => c.json({ actor: c.get('actor') }));
}
