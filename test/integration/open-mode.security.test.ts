// DNS rebinding against the open loopback mode (issue #13, part 4): a page on evil.example whose name
// re-resolves to 127.0.0.1 sends its own Host and a matching Origin. Real sockets, so the Host header is
// exactly what a browser sends and the websocket upgrade goes through the same app.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../support/api.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

const PUBLIC_ORIGIN = 'https://notebook.example.com';
let t: TestApp;
let server: ServerType;
let port: number;

beforeAll(async () => {
  t = await createTestApp(await createTestDatabase(), {
    config: { webhookToken: WEBHOOK_TOKEN, apiTokens: [], bodyLimit: 1024 * 1024, allowedOrigins: [PUBLIC_ORIGIN] },
  });
  server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0, websocket: t.websocket });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  port = (server.address() as AddressInfo).port;
});
beforeEach(async () => {
  await t.database.reset();
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
  await t.close();
});

/** One HTTP exchange on 127.0.0.1 with the given headers; an accepted websocket upgrade reports 101. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, text: '' });
    });
    req.on('response', (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const rebound = (host: string) => ({
  host: `${host}:${port}`,
  origin: `http://${host}:${port}`,
  'sec-fetch-site': 'same-origin',
});
const websocketUpgrade = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-protocol': 'alertbook.v1',
};

async function anIncident(): Promise<number> {
  const summary = await deliver(t, amNotification([amAlert()]));
  return (summary.incidents as number[])[0]!;
}

async function noteCount(id: number): Promise<number> {
  const res = await t.api(`/incidents/${id}`);
  return ((await res.json()) as { timeline: { type: string }[] }).timeline.filter((e) => e.type === 'note.added')
    .length;
}

describe('open loopback mode: DNS rebinding', () => {
  it("refuses a rebound page's note (Host and Origin evil.example, Sec-Fetch-Site same-origin) and writes nothing", async () => {
    const id = await anIncident();
    const res = await send(
      'POST',
      `/api/v1/incidents/${id}/notes`,
      { ...rebound('evil.example'), 'content-type': 'application/json' },
      '{"text":"x"}',
    );
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('evil.example') },
    });
    expect(await noteCount(id)).toBe(0);
  });

  it("refuses a rebound page's reads, the notebook page and the websocket upgrade", async () => {
    for (const path of ['/api/v1/incidents', '/', '/metrics']) {
      expect((await send('GET', path, rebound('evil.example'))).status, path).toBe(403);
    }
    expect((await send('GET', '/api/v1/live', { ...rebound('evil.example'), ...websocketUpgrade })).status).toBe(403);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('answers a page on %s', async (host) => {
    const id = await anIncident();
    const res = await send(
      'POST',
      `/api/v1/incidents/${id}/notes`,
      { ...rebound(host), 'content-type': 'application/json' },
      '{"text":"x"}',
    );
    expect(res.status, res.text).toBe(201);
    expect((await send('GET', '/api/v1/incidents', rebound(host))).status).toBe(200);
    expect((await send('GET', '/api/v1/live', { ...rebound(host), ...websocketUpgrade })).status).toBe(101);
  });

  it('answers the host of an allow-listed public origin (a proxy in front that keeps the Host)', async () => {
    const res = await send('GET', '/api/v1/incidents', { host: 'notebook.example.com', origin: PUBLIC_ORIGIN });
    expect(res.status).toBe(200);
  });
});
