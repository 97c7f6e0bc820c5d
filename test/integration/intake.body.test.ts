import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listIncidents } from '../support/api.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

// Served by @hono/node-server as main.ts serves it, so the webhook reads the
// body from node's IncomingMessage (src/http/request-body.ts) rather than
// from the web Request that app.request() builds.
const BODY_LIMIT = 16 * 1024;

let app: TestApp;
let server: ServerType;
let port: number;

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase(), {
    config: { webhookToken: WEBHOOK_TOKEN, apiTokens: [], bodyLimit: BODY_LIMIT },
  });
  server = serve({ fetch: app.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  port = (server.address() as AddressInfo).port;
});
beforeEach(async () => {
  await app.database.reset();
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
  await app.close();
});

interface Answer {
  status: number;
  body: { error?: { code: string }; changed?: number };
}

/** POSTs `parts` written one by one; chunked unless `contentLength` is given. */
function post(parts: Buffer[], contentLength?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      authorization: `Bearer ${WEBHOOK_TOKEN}`,
    };
    if (contentLength !== undefined) headers['content-length'] = contentLength;
    const sent = request(
      { host: '127.0.0.1', port, path: '/hooks/alertmanager', method: 'POST', headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Answer['body'] }));
      },
    );
    // The server may answer and stop reading before the body ends.
    sent.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (const part of parts) sent.write(part);
    sent.end();
  });
}

function notification(alertCount: number, labels: Record<string, string> = {}): Buffer {
  const alerts = Array.from({ length: alertCount }, (_, i) =>
    amAlert({ labels: { instance: `host-${i}`, ...labels } }),
  );
  return Buffer.from(JSON.stringify(amNotification(alerts)));
}

describe('the webhook body over a real socket', () => {
  it('stores a notification sent with its Content-Length', async () => {
    const body = notification(3);
    const answer = await post([body], body.length);
    expect(answer).toMatchObject({ status: 200, body: { changed: 3 } });
    expect(await listIncidents(app)).toHaveLength(1);
  });

  it('assembles a chunked body, a character split across chunks included', async () => {
    const body = notification(2, { team: 'Zürich ☕ on-call' });
    const cut = body.indexOf('☕') + 1; // inside the character's three bytes
    const answer = await post([body.subarray(0, cut), body.subarray(cut)]);
    expect(answer).toMatchObject({ status: 200, body: { changed: 2 } });
    const res = await app.api(`/incidents/${(await listIncidents(app))[0]!.id}`);
    const { alerts } = (await res.json()) as { alerts: { labels: Record<string, string> }[] };
    expect(alerts.map((a) => a.labels.team)).toEqual(['Zürich ☕ on-call', 'Zürich ☕ on-call']);
  });

  it('refuses a body whose Content-Length is over the limit, and stores nothing', async () => {
    const body = notification(60);
    expect(body.length).toBeGreaterThan(BODY_LIMIT);
    const answer = await post([body], body.length);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await listIncidents(app)).toEqual([]);
  });

  it('refuses a chunked body once it grows past the limit, and stores nothing', async () => {
    const body = notification(60);
    const parts = Array.from({ length: Math.ceil(body.length / 4096) }, (_, i) =>
      body.subarray(i * 4096, (i + 1) * 4096),
    );
    const answer = await post(parts);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(await listIncidents(app)).toEqual([]);
    expect(await app.metrics.registry.getSingleMetricAsString('alertbook_notifications_total')).toMatch(
      /outcome="invalid"} [1-9]/,
    );
  });

  it('keeps answering after refusing a body', async () => {
    await post([notification(60)]);
    const body = notification(1);
    expect((await post([body], body.length)).status).toBe(200);
  });
});
