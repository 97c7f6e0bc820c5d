// The load generator, a child process of the benchmark (child-worker.ts):
// Alertmanager is a process of its own, so the server's CPU and memory
// figures must not include the sender's.
import { Agent, request } from 'node:http';
import { serveOrders } from './child-worker.js';
import { runLoad, type LoadResult } from './load.js';
import { stormNotification } from './payload.js';

export interface LoadOrder {
  hook: string;
  token: string;
  run: string;
  alertCount: number;
  count: number;
  concurrency: number;
}

serveOrders(sendLoad);

async function sendLoad(order: LoadOrder, signal: AbortSignal): Promise<LoadResult> {
  // Keep-alive like Alertmanager's Go client, one socket per worker; node:http
  // rather than fetch, whose per-request CPU is several times higher.
  const agent = new Agent({ keepAlive: true, maxSockets: order.concurrency });
  try {
    return await runLoad({
      items: Array.from({ length: order.count }, (_, index) =>
        JSON.stringify(stormNotification({ run: order.run, index, alertCount: order.alertCount })),
      ),
      concurrency: order.concurrency,
      signal,
      deliver: (body, index) => postNotification(agent, order, body, index),
    });
  } finally {
    agent.destroy();
  }
}

function postNotification(agent: Agent, order: LoadOrder, body: string, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      authorization: `Bearer ${order.token}`,
    };
    const sent = request(order.hook, { method: 'POST', agent, headers }, (response) => {
      let answer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (answer += chunk));
      response.on('error', reject);
      response.on('end', () => {
        try {
          expectStored(response.statusCode, answer, order.alertCount, index);
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Every notification is fresh and stores all its alerts, or the figures measured nothing. */
function expectStored(status: number | undefined, answer: string, alertCount: number, index: number): void {
  if (status !== 200) throw new Error(`notification ${index}: intake answered ${status}: ${answer.slice(0, 500)}`);
  const summary = JSON.parse(answer) as { fresh?: unknown; changed?: unknown };
  if (summary.fresh !== true || summary.changed !== alertCount) {
    throw new Error(
      `notification ${index}: expected a fresh delivery storing ${alertCount} alerts, intake answered ${answer.slice(0, 500)}`,
    );
  }
}
