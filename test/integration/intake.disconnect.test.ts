// A sender that closes its connection mid-body (issue #14): counted as `aborted`, not as a server `error`,
// and not logged as an unhandled error. Real sockets: only node's request knows the client left.
import type { IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { metricSample } from '../support/metrics.js';

const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (msg) => void errors.push(msg) };
let app: TestApp;
let server: ServerType;
let port: number;
/** Requests the app has answered (its error handler included). */
let answered = 0;

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase(), { logger });
  const fetch = async (request: Request, env: unknown) => {
    try {
      return await app.app.fetch(request, env);
    } finally {
      answered += 1;
    }
  };
  server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  port = (server.address() as AddressInfo).port;
});
beforeEach(() => {
  errors.length = 0;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
  await app.close();
});

/** Sends the head and part of a declared body, closes the connection once the app reads it, and waits for its answer. */
async function leaveMidBody(path: string, authorization: string): Promise<void> {
  const before = answered;
  const received = new Promise<IncomingMessage>((resolve) => server.once('request', resolve));
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${authorization}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"receiver":"r","alerts":[',
  );
  const incoming = await received;
  await vi.waitFor(() => expect(incoming.listenerCount('data')).toBeGreaterThan(0));
  socket.destroy();
  await vi.waitFor(() => expect(answered).toBe(before + 1), { timeout: 5000 });
}

const scrape = async () => app.metrics.registry.metrics();
const notifications = async (outcome: string) =>
  metricSample(await scrape(), `alertbook_notifications_total{outcome="${outcome}"}`);

describe('a sender that leaves mid-body', () => {
  it('is counted as aborted on the webhook, without an error log', async () => {
    await leaveMidBody('/hooks/alertmanager', `Bearer ${WEBHOOK_TOKEN}`);
    expect(await notifications('aborted')).toBe(1);
    expect(await notifications('error')).toBe(0);
    expect(errors).toEqual([]);
  });

  it('on the API, is not logged as an unhandled error', async () => {
    const before = await notifications('aborted');
    await leaveMidBody('/api/v1/incidents/1/notes', 'Bearer alice-token');
    expect(errors).toEqual([]);
    expect(await notifications('aborted')).toBe(before);
  });
});
