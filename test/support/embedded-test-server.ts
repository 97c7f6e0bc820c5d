import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresClient, type SocketTarget } from '../../src/db/client.js';
import { startEmbeddedServer } from '../../src/db/embedded-server.js';
import { runMigrations } from '../../src/db/migrate.js';
import { processGone } from '../../src/db/process-gone.js';

/** How test workers find the server: its socket target, as JSON (set by the vitest globalSetup). */
export const TEST_SERVER_ENV = 'ALERTBOOK_TEST_SERVER';
/** Migrated once; every test file's database is a copy of it (CREATE DATABASE … TEMPLATE: no migrations per file). */
export const TEMPLATE_DATABASE = 'alertbook_template';

export interface TestServer {
  target: SocketTarget;
  /** Stops the server, makes sure no process of it is left, and deletes its data dir. */
  stop(): Promise<void>;
}

/**
 * One embedded Postgres for a whole test run, in a temp dir, with fsync off
 * (its data is thrown away) and room for every worker's pools.
 */
export async function startTestServer(): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'alertbook-test-pg-'));
  await chmod(dataDir, 0o755); // mkdtemp's 0700 would lock out the server's account when we run as root.
  const server = await startEmbeddedServer({ dataDir, durable: false, settings: { max_connections: 300 } }).catch(
    async (error: unknown) => {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    },
  );
  const admin = postgresClient(server.target, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  await runMigrations({ ...server.target, database: TEMPLATE_DATABASE });
  return {
    target: server.target,
    async stop() {
      await server.stop();
      if (!processGone(server.pid)) throw new Error(`the test database server (pid ${server.pid}) outlived its stop`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server the globalSetup started, for test workers. */
export function testServerTarget(): SocketTarget | undefined {
  const json = process.env[TEST_SERVER_ENV];
  return json ? (JSON.parse(json) as SocketTarget) : undefined;
}
