import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { createTestApp, WEBHOOK_TOKEN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { postWhole, trickle, type Trickle } from '../support/slow-sender.js';

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

/** The file's one database for another app: creating one costs seconds, and the first app's close destroys it. */
function shared(): TestDatabase {
  return { ...database, destroy: async () => {} };
}

/** A notification of its own group, about `bytes` long. */
function notificationOf(group: string, bytes: number) {
  const alerts = Array.from({ length: Math.ceil(bytes / 300) }, (_, i) =>
    amAlert({ labels: { alertname: group, instance: `host-${i}` } }),
  );
  return amNotification(alerts);
}

/** POSTs it with its Content-Length, as Alertmanager does (`app.request` would not send one). */
function deliverSized(body: unknown): Promise<Response> {
  const raw = JSON.stringify(body);
  return app.hook(undefined, { raw, headers: { 'content-length': String(Buffer.byteLength(raw)) } });
}

describe('intake under a storm of large notifications', () => {
  it('reads large bodies one after another and writes at most two at once, every one of them stored', async () => {
    mostOpen = 0;
    const bodies = ['A', 'B', 'C', 'D'].map((group) => notificationOf(group, 160 * 1024));
    for (const body of bodies) expect(JSON.stringify(body).length).toBeGreaterThan(BUDGET / 2);
    const responses = await Promise.all(bodies.map(deliverSized));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // Each gives the budget to the next once it holds one of the two database slots (webhook.ts).
    expect(mostOpen).toBe(2);
  });

  it('lets small bodies through together', async () => {
    mostOpen = 0;
    const responses = await Promise.all(['E', 'F', 'G', 'H'].map((group) => deliverSized(notificationOf(group, 1024))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // As many at once as intake keeps in flight for small notifications (the others go with them:
    // src/db/intake-batcher.ts), not one after another as the budget holds large ones.
    expect(mostOpen).toBe(2);
  });

  it('reads a body of unknown length first, then takes its share of the budget by its size', async () => {
    mostOpen = 0;
    const small = await Promise.all(['I', 'J'].map((group) => app.hook(notificationOf(group, 1024))));
    expect(small.map((r) => r.status)).toEqual([200, 200]);
    expect(mostOpen).toBe(2);

    // Budgeted by its size, it is large: it shares the two database slots with the other large ones.
    mostOpen = 0;
    const large = await Promise.all(['K', 'L', 'O'].map((group) => app.hook(notificationOf(group, 160 * 1024))));
    expect(large.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(mostOpen).toBe(2);
  });
});

describe('intake past its deadline', () => {
  const DEADLINE_MS = 300;
  let held: TestApp;
  let gate: { open: () => void; opened: Promise<void> };
  const arrived: Array<() => void> = [];

  beforeAll(async () => {
    const inner = shared();
    // Every intake transaction waits at the gate: the database looks stalled.
    const pipelined: Database['pipelined'] = async (work, deadline) => {
      arrived.shift()?.();
      await gate.opened;
      return inner.pipelined(work, deadline);
    };
    held = await createTestApp(
      { ...inner, pipelined },
      {
        config: {
          webhookToken: undefined,
          apiTokens: [],
          bodyLimit: 4 * BUDGET,
          intakeBudget: BUDGET,
          intakeDeadlineMs: DEADLINE_MS,
        },
      },
    );
  });
  afterAll(() => held?.close());

  function closedGate() {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  }

  it('answers 503 with Retry-After to the ones stuck in the database, waiting for a slot and waiting for the budget, then takes them', async () => {
    gate = closedGate();
    const sized = (group: string) => {
      const raw = JSON.stringify(notificationOf(group, 200 * 1024));
      return held.hook(undefined, { raw, headers: { 'content-length': String(Buffer.byteLength(raw)) } });
    };
    const reachDatabase = () => new Promise<void>((resolve) => arrived.push(resolve));
    const first = reachDatabase();
    const stuck = [sized('M')];
    await first;
    const second = reachDatabase();
    stuck.push(sized('N'));
    await second;
    // Both database slots taken: this one holds the budget waiting for one, and two 200 KiB bodies do not fit a
    // 256 KiB budget together, so the last waits for its share.
    const waiting = [sized('P'), sized('Q')];
    for (const res of await Promise.all([...stuck, ...waiting])) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    }
    arrived.length = 0;

    gate.open();
    for (const group of ['M', 'N', 'P', 'Q']) expect((await sized(group)).status).toBe(200);
  });
});

describe('slow senders over a real socket', () => {
  // Served by @hono/node-server as main.ts serves it: bodies arrive at the pace their senders write them.
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` };
  let patient: TestServer;
  let strict: TestServer;
  let slowArrivals = 0;
  let slowArrived: () => void = () => {};
  const senders: Trickle[] = [];

  /** Serves an app that counts the slow senders' requests reaching it (they say who they are). */
  async function serveWith(config: Partial<AppDeps['config']>) {
    const served = await createTestApp(shared(), {
      config: { webhookToken: WEBHOOK_TOKEN, apiTokens: [], bodyLimit: 4 * BUDGET, intakeBudget: BUDGET, ...config },
    });
    return startTestServer(served, {
      around: (fetch) => (request, env) => {
        if (request.headers.get('x-slow-sender')) {
          slowArrivals += 1;
          slowArrived();
        }
        return fetch(request, env);
      },
    });
  }

  beforeAll(async () => {
    // No pace and a long deadline: what is shown is that nobody waits behind a slow sender, not that it is cut.
    patient = await serveWith({ intakeDeadlineMs: 30_000 });
    strict = await serveWith({ intakeDeadlineMs: 2_000, bodyMinBytesPerSecond: 10 });
  });
  afterEach(() => {
    for (const sender of senders.splice(0)) sender.stop();
  });
  afterAll(async () => {
    await patient?.close();
    await strict?.close();
  });

  /** Starts `count` slow senders and resolves once every one has reached the app. */
  async function slowSenders(
    server: TestServer,
    count: number,
    options: Parameters<typeof trickle>[2],
  ): Promise<Trickle[]> {
    slowArrivals = 0;
    const all = new Promise<void>((resolve) => (slowArrived = () => slowArrivals === count && resolve()));
    const started = Array.from({ length: count }, () =>
      trickle(server.url, { ...headers, 'x-slow-sender': 'yes' }, options),
    );
    senders.push(...started);
    await all;
    return started;
  }

  /** Three ordinary 1-alert notifications, sent whole with their Content-Length. */
  async function normalNotifications(server: TestServer, group: string) {
    return Promise.all(
      [1, 2, 3].map((i) =>
        postWhole(
          server.url,
          Buffer.from(
            JSON.stringify(amNotification([amAlert({ labels: { alertname: group, instance: `host-${i}` } })])),
          ),
          headers,
        ),
      ),
    );
  }

  it('answers ordinary notifications while a chunked body trickles in', async () => {
    const [slow] = await slowSenders(patient, 1, { everyMs: 20, maxBytes: 500 });
    const answers = await normalNotifications(patient, 'AlongsideChunked');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(slow!.settled).toBe(false);
  });

  it('answers ordinary notifications while many small bodies with a Content-Length trickle in', async () => {
    // Each would take a 64 KiB unit of the 256 KiB budget if it were read under it.
    const slow = await slowSenders(patient, 8, { contentLength: 1000, everyMs: 20, maxBytes: 500 });
    const answers = await normalNotifications(patient, 'AlongsideSmall');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(slow.some((s) => s.settled)).toBe(false);
  });

  it('answers ordinary notifications while a large body holding the whole budget trickles in', async () => {
    const [slow] = await slowSenders(patient, 1, { contentLength: 2 * BUDGET, everyMs: 20, maxBytes: 500 });
    const answers = await normalNotifications(patient, 'AlongsideLarge');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(slow!.settled).toBe(false);
  });

  it('answers 408 to a body slower than the minimum pace', async () => {
    // 2 bytes a second against a minimum of 10: cut at the first check, a second in.
    const [slow] = await slowSenders(strict, 1, { everyMs: 500, maxBytes: 100 });
    const answer = await slow!.answer;
    expect(answer).toMatchObject({
      status: 408,
      body: { error: { code: 'request_timeout', message: expect.stringMatching(/slower than 10 bytes/) } },
    });
  });

  it('answers 408 to a body that keeps the pace but is still arriving at the deadline', async () => {
    // ~50 bytes a second, above the pace, 500 bytes of a 1000-byte body: still arriving at the 2 s deadline.
    const [slow] = await slowSenders(strict, 1, { contentLength: 1000, everyMs: 20, maxBytes: 500 });
    const answer = await slow!.answer;
    expect(answer).toMatchObject({
      status: 408,
      body: { error: { code: 'request_timeout', message: expect.stringMatching(/deadline/) } },
    });
  });
});
