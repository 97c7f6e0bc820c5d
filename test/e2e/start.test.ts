import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { freeLoopbackPort, startPeerProcess } from '../support/peer-process.js';
import { processGone } from '../../src/db/process-gone.js';

// Building, the web bundle and a first initdb, on a busy 2-core machine.
const START_TIMEOUT_MS = 90_000;

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-start-'));
  await chmod(dir, 0o755); // mkdtemp's 0700 would lock out the database's account when we run as root.
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** `npm start` as a user runs it: the service bundled into .build/ and run by plain node, on the embedded database. */
async function npmStart(dir: string, port: number) {
  const { DATABASE_URL: _serverDatabase, ...env } = process.env;
  const service = await startPeerProcess('npm', ['start', '--silent'], `http://127.0.0.1:${port}/readyz`, {
    env: { ...env, PORT: String(port), ALERTBOOK_DATA_DIR: dir },
    readyTimeoutMs: START_TIMEOUT_MS,
  });
  onTestFinished(() => service.stop());
  const [node] = execFileSync('ps', ['-o', 'pid=', '--ppid', String(service.pid)], { encoding: 'utf8' })
    .trim()
    .split(/\s+/)
    .map(Number);
  return { service, nodePid: node!, postmasterPid: await postmasterPid(dir) };
}

async function postmasterPid(dir: string): Promise<number> {
  return Number((await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise((resolve) => server.close(resolve));
  return free;
}

async function deliver(origin: string) {
  return fetch(`${origin}/hooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fixture('alertmanager/am025-lab_firing_single.json')),
  });
}

async function incidents(origin: string) {
  return ((await (await fetch(`${origin}/api/v1/incidents`)).json()) as { incidents: Array<{ status: string }> })
    .incidents;
}

describe('npm start', { timeout: 4 * START_TIMEOUT_MS }, () => {
  it('runs the bundled service on the embedded database: ready, takes a notification, serves the API', async () => {
    const port = await freeLoopbackPort();
    const origin = `http://127.0.0.1:${port}`;
    await npmStart(await dataDir(), port);

    // Loopback without tokens: open mode, as the quickstart runs it.
    expect((await deliver(origin)).status).toBe(200);
    expect(await incidents(origin)).toEqual([expect.objectContaining({ status: 'firing' })]);
    expect((await fetch(`${origin}/`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('stops on a SIGTERM to the npm process: node gone, the port released, the embedded database stopped', async () => {
    const port = await freeLoopbackPort();
    const { service, nodePid, postmasterPid } = await npmStart(await dataDir(), port);

    process.kill(service.pid, 'SIGTERM');
    expect(await service.exited).toBe('code 0');
    expect(processGone(nodePid)).toBe(true);
    expect(await portIsFree(port)).toBe(true);
    expect(processGone(postmasterPid)).toBe(true);
  });

  it('starts again after the service was killed (kill -9), on the database it left running, with its data', async () => {
    const dir = await dataDir();
    const port = await freeLoopbackPort();
    const origin = `http://127.0.0.1:${port}`;
    const crashed = await npmStart(dir, port);
    expect((await deliver(origin)).status).toBe(200);
    process.kill(crashed.nodePid, 'SIGKILL');
    await crashed.service.exited;
    expect(processGone(crashed.postmasterPid)).toBe(false);

    const restarted = await npmStart(dir, port);
    expect(restarted.postmasterPid).toBe(crashed.postmasterPid);
    expect(await incidents(origin)).toEqual([expect.objectContaining({ status: 'firing' })]);
    process.kill(restarted.service.pid, 'SIGTERM');
    await restarted.service.exited;
    expect(processGone(crashed.postmasterPid)).toBe(true);
  });
});
