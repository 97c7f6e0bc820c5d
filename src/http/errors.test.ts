import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env.js';
import { createErrorHandler } from './errors.js';

function appLogging(isTransient: (error: unknown) => boolean) {
  const logged: { msg: string; fields: Record<string, unknown> }[] = [];
  const app = new Hono<AppEnv>().use(requestId()).get('/fail', () => {
    throw new Error('boom');
  });
  app.onError(createErrorHandler(isTransient, (msg, fields) => logged.push({ msg, fields })));
  return { app, logged };
}

describe('createErrorHandler', () => {
  it('logs an unhandled error with its stack and the request id, and answers 500', async () => {
    const { app, logged } = appLogging(() => false);
    const res = await app.request('/fail');
    expect(res.status).toBe(500);
    const { requestId: id } = ((await res.json()) as { error: { requestId: string } }).error;
    expect(logged).toEqual([
      {
        msg: 'unhandled error',
        fields: { requestId: id, error: 'boom', stack: expect.stringContaining('errors.test.ts') },
      },
    ]);
  });

  it('logs a transient failure without a stack (an outage is not a bug), and answers 503', async () => {
    const { app, logged } = appLogging(() => true);
    expect((await app.request('/fail')).status).toBe(503);
    expect(logged).toEqual([
      {
        msg: 'transient failure, asking the client to retry',
        fields: { requestId: expect.any(String), error: 'boom' },
      },
    ]);
  });
});
