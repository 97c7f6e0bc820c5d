// The bare receiver, a child process of the benchmark (child-worker.ts): for
// each POST, the body parsed as JSON and its alerts written by the bare insert,
// then a 200 in the shape the load generator checks. No routing, auth,
// validation, delivery log, incident or timeline.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import postgres from 'postgres';
import { insertAlerts, openHoldingIncident } from './bare-insert.js';
import type { BareReceiverOrder } from './bare-receiver-measurement.js';
import { serveOrders } from './child-worker.js';
import type { AlertmanagerMessage } from './payload.js';

// As app-process.ts: longer than a sender's pause, so keep-alive sockets are not closed under it.
const IDLE_SOCKET_MS = 120_000;

serveOrders(async ({ url, concurrency }: BareReceiverOrder): Promise<{ origin: string }> => {
  // Ended with the process: the benchmark stops it, then drops the scratch database (with force).
  const sql = postgres(url, { max: concurrency, onnotice: () => {} });
  const incidentId = await openHoldingIncident(sql);
  const server = createServer((request, response) =>
    receive(request, response, (message) => insertAlerts(sql, incidentId, message)),
  );
  server.keepAliveTimeout = IDLE_SOCKET_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${address.port}` };
});

function receive(
  request: IncomingMessage,
  response: ServerResponse,
  store: (message: AlertmanagerMessage) => Promise<void>,
): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertmanagerMessage;
    store(message).then(
      () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ fresh: true, changed: message.alerts.length }));
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      },
    );
  });
}
