import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

// Webhook bodies are taken in up to the intake budget's worth of bytes at a
// time, by their Content-Length (src/http/routes/webhook.ts, in 64 KiB units):
// measured here by how many intake transactions overlap, with a budget two
// large bodies exceed.
const BUDGET = 256 * 1024;

let database: TestDatabase;
let app: TestApp;
let open = 0;
let mostOpen = 0;

/** The database, counting the intake transactions open at once. */
function countingOverlap(inner: TestDatabase): TestDatabase {
  const pipelined: Database['pipelined'] = async (work) => {
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    try {
      // Long enough for every request of the test to have arrived meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return await inner.pipelined(work);
    } finally {
      open -= 1;
    }
  };
  return { ...inner, pipelined };
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(countingOverlap(database), {
    config: { webhookToken: undefined, apiTokens: [], bodyLimit: 4 * BUDGET, intakeBudget: BUDGET },
  });
});
afterAll(() => app?.close());

/** A notification of its own group, about `bytes` long. */
function notificationOf(group: string, bytes: number) {
  const alerts = Array.from({ length: Math.ceil(bytes / 300) }, (_, i) => amAlert({ labels: { alertname: group, instance: `host-${i}` } }));
  return amNotification(alerts);
}

/** POSTs it with its Content-Length, as Alertmanager does (`app.request` would not send one). */
function deliverSized(body: unknown): Promise<Response> {
  const raw = JSON.stringify(body);
  return app.hook(undefined, { raw, headers: { 'content-length': String(Buffer.byteLength(raw)) } });
}

describe('intake under a storm of large notifications', () => {
  it('processes large bodies one after another, every one of them stored', async () => {
    mostOpen = 0;
    const bodies = ['A', 'B', 'C', 'D'].map((group) => notificationOf(group, 160 * 1024));
    for (const body of bodies) expect(JSON.stringify(body).length).toBeGreaterThan(BUDGET / 2);
    const responses = await Promise.all(bodies.map(deliverSized));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(mostOpen).toBe(1);
  });

  it('lets small bodies through together', async () => {
    mostOpen = 0;
    const responses = await Promise.all(['E', 'F', 'G', 'H'].map((group) => deliverSized(notificationOf(group, 1024))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(mostOpen).toBe(4);
  });

  it('takes a body of unknown length alone', async () => {
    mostOpen = 0;
    const responses = await Promise.all(['I', 'J'].map((group) => app.hook(notificationOf(group, 1024))));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(mostOpen).toBe(1);
  });
});
