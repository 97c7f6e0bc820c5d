// Two Alertbook processes on one database, as replicas behind a load balancer would run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAlertbookProcess, type AlertbookProcess } from '../support/alertbook-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixture } from '../support/fixtures.js';

let database: TestDatabase;
let a: AlertbookProcess;
let b: AlertbookProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  // One after the other: the first builds the notebook bundle the second then finds.
  a = await startAlertbookProcess(database);
  b = await startAlertbookProcess(database);
}, 240_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.destroy();
});

/** A websocket viewer of every incident's timeline, on `replica`. */
async function watchAll(replica: AlertbookProcess) {
  const frames: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  // Open mode admits the notebook's own pages: a browser there sends the server's origin.
  const socket = new WebSocket(`${replica.origin.replace('http', 'ws')}/api/v1/live`, ['alertbook.v1'], {
    origin: replica.origin,
  });
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  const next = (match: (frame: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const check = () => {
        const frame = frames.find(match);
        if (!frame) return;
        waiters.delete(check);
        resolve(frame);
      };
      waiters.add(check);
      check();
    });
  socket.send(JSON.stringify({ type: 'watch', incidents: 'all' }));
  // Answered in order: once the pong is here, the watch is in place.
  socket.send(JSON.stringify({ type: 'ping' }));
  await next((f) => f.type === 'pong');
  return { next, close: () => socket.close() };
}

describe('two replicas on one database', () => {
  it('a note added through replica A reaches a websocket viewer on replica B within a second', async () => {
    const delivered = await fetch(`${a.origin}/hooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fixture('alertmanager/am025-lab_firing_single.json')),
    });
    expect(delivered.status).toBe(200);
    const { incidents } = (await delivered.json()) as { incidents: number[] };
    const viewer = await watchAll(b);

    const sent = performance.now();
    const note = await fetch(`${a.origin}/api/v1/incidents/${incidents[0]}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-alertbook-request': '1' },
      body: JSON.stringify({ text: 'written on A' }),
    });
    expect(note.status).toBe(201);
    const frame = await viewer.next((f) => f.type === 'incident' && (f.types as string[]).includes('note.added'));
    const elapsedMs = performance.now() - sent;
    viewer.close();

    expect(frame).toEqual({ type: 'incident', incidentId: incidents[0], types: ['note.added'] });
    expect(elapsedMs).toBeLessThan(1_000);
  });
});
