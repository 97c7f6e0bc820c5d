import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { postgresClient, type SocketTarget } from '../../src/db/client.js';
import { EmbeddedDatabaseError, startEmbeddedServer, type EmbeddedServer } from '../../src/db/embedded-server.js';
import { processGone } from '../../src/db/process-gone.js';

// The lifecycle of the embedded default (src/db/embedded-server.ts), each
// test on a data dir of its own. CI runs as root, so these also cover the
// server being run by an unprivileged account.
function dataDir(name = 'alertbook-embedded-'): string {
  const dir = mkdtempSync(join(tmpdir(), name));
  chmodSync(dir, 0o755); // mkdtemp's 0700 would lock out the server's account when we run as root.
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(dir: string): Promise<EmbeddedServer> {
  const server = await startEmbeddedServer({ dataDir: dir, durable: false });
  onTestFinished(() => server.stop());
  return server;
}

async function query<T>(target: SocketTarget, text: string): Promise<T[]> {
  const client = postgresClient(target, { max: 1, onnotice: () => {} });
  try {
    return (await client.unsafe(text)) as unknown as T[];
  } finally {
    await client.end();
  }
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'))!;
  return Number(line.split(/\s+/)[1]);
}

/** A process owning the server of `dir`, as a running app does. */
async function startOwner(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/embedded-server-owner.ts', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, postmasterPid: (JSON.parse(line) as { pid: number }).pid };
}

describe('the embedded Postgres', () => {
  it('is created on first start, listens on a Unix socket in the data dir only, never runs as root, and stops cleanly', async () => {
    const dir = dataDir();
    const server = await startEmbeddedServer({ dataDir: dir, durable: false });
    expect(server.target.socketDir).toBe(join(dir, 'postgres'));
    expect(existsSync(join(dir, 'postgres', '.s.PGSQL.5432'))).toBe(true);
    expect(await query(server.target, 'show listen_addresses')).toEqual([{ listen_addresses: '' }]);
    expect(uidOf(server.pid)).not.toBe(0);

    await server.stop();
    expect(processGone(server.pid)).toBe(true);
    expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('refuses a second app on a data dir in use, naming the first; adopts the server of an app that was killed (kill -9)', async () => {
    const dir = dataDir();
    const owner = await startOwner(dir);
    await expect(startEmbeddedServer({ dataDir: dir, durable: false })).rejects.toThrow(
      new RegExp(`${dir} is in use by another Alertbook \\(alertbook \\(pid ${owner.child.pid}\\)\\)`),
    );

    owner.child.kill('SIGKILL');
    await once(owner.child, 'exit');
    expect(processGone(owner.postmasterPid)).toBe(false);
    const server = await started(dir);
    expect(server.pid).toBe(owner.postmasterPid);
    expect(await query(server.target, 'select 1 as one')).toEqual([{ one: 1 }]);
    await server.stop();
    expect(processGone(owner.postmasterPid)).toBe(true);
  });

  it('starts over a stale postmaster.pid naming a live process that is not a postgres (a pid reused after a restart)', async () => {
    const dir = dataDir();
    await (await startEmbeddedServer({ dataDir: dir, durable: false })).stop();
    const socketDir = join(dir, 'postgres');
    writeFileSync(
      join(socketDir, 'postmaster.pid'),
      `${process.pid}\n${socketDir}\n1700000000\n5432\n${socketDir}\n\n0 0\nready   \n`,
    );

    const server = await started(dir);
    expect(server.pid).not.toBe(process.pid);
    expect(await query(server.target, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('turns away a data dir from the PGlite era with what to do, touching nothing', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'PG_VERSION'), '18\n');
    mkdirSync(join(dir, 'base'));
    const attempt = startEmbeddedServer({ dataDir: dir, durable: false });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedDatabaseError);
    await expect(attempt).rejects.toThrow(`${dir} holds a PGlite database from an earlier Alertbook`);
    await expect(attempt).rejects.toThrow(`mv ${dir} ${dir}.pglite`);
    expect(readdirSync(dir).sort()).toEqual(['PG_VERSION', 'base']);
  });

  it('puts the socket under the temp dir when the data dir is too deep for a Unix socket path', async () => {
    const dir = join(dataDir(), 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const server = await started(dir);
    expect(server.target.socketDir).toMatch(new RegExp(`^${tmpdir()}/alertbook-[0-9a-f]{16}$`));
    expect(await query(server.target, 'select 1 as one')).toEqual([{ one: 1 }]);
    await server.stop();
    expect(existsSync(server.target.socketDir)).toBe(false);
  });
});
