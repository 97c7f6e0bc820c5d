import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createDatabase } from '../../src/db/client.js';
import { startEmbeddedServer } from '../../src/db/embedded-server.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { amAlert, amNotification } from '../support/payloads.js';

// The embedded default keeps its state on disk in ALERTBOOK_DATA_DIR: a
// delivery retried across a restart must still land once.
const dataDir = mkdtempSync(join(tmpdir(), 'alertbook-restart-'));
chmodSync(dataDir, 0o755); // mkdtemp's 0700 would lock out the server's account when we run as root.
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startService() {
  const server = await startEmbeddedServer({ dataDir, durable: false });
  await runMigrations(server.target);
  const database = await createDatabase({ target: server.target });
  const { app } = createApp({
    config: { webhookToken: undefined, apiTokens: [], bodyLimit: 1 << 20 },
    database,
    logger: createLogger({ silent: true }),
  });
  const post = async (body: unknown) =>
    (await (
      await app.request('/hooks/alertmanager', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as Record<string, unknown>;
  const incidents = async () =>
    ((await (await app.request('/api/v1/incidents')).json()) as { incidents: { alertCount: number }[] }).incidents;
  return {
    post,
    incidents,
    async close() {
      await database.close();
      await server.stop();
    },
  };
}

it('a delivery retried after a restart of the embedded database (stopped, started again) lands once', async () => {
  const body = amNotification([amAlert()]);
  const before = await startService();
  expect(await before.post(body)).toMatchObject({ fresh: true, changed: 1 });
  await before.close();

  const after = await startService();
  expect(await after.post(body)).toMatchObject({ fresh: false, changed: 0 });
  expect(await after.incidents()).toMatchObject([{ alertCount: 1 }]);
  await after.close();
});
