import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { freeLoopbackPort, startPeerProcess } from '../support/peer-process.js';

// `npm start` as a user runs it: the service bundled into .build/ and run by
// plain node, on the embedded database in a folder of its own.
describe('npm start', () => {
  it('runs the bundled service on the embedded database: ready, takes a notification, serves the API', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'alertbook-start-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freeLoopbackPort();
    const origin = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _serverDatabase, ...env } = process.env;
    const service = await startPeerProcess('npm', ['start', '--silent'], `${origin}/readyz`, {
      env: { ...env, PORT: String(port), ALERTBOOK_DATA_DIR: dataDir },
    });
    onTestFinished(() => service.stop());

    // Loopback without tokens: open mode, as the quickstart runs it.
    const delivered = await fetch(`${origin}/hooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fixture('alertmanager/am025-lab_firing_single.json')),
    });
    expect(delivered.status).toBe(200);
    const listed = (await (await fetch(`${origin}/api/v1/incidents`)).json()) as { incidents: Array<{ status: string }> };
    expect(listed.incidents).toEqual([expect.objectContaining({ status: 'firing' })]);
    expect((await fetch(`${origin}/`)).headers.get('content-type')).toMatch(/text\/html/);
  });
});
