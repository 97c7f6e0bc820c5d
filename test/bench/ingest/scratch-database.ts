import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { postgresClient, type DatabaseTarget } from '../../../src/db/client.js';
import { startEmbeddedServer } from '../../../src/db/embedded-server.js';
import { runMigrations } from '../../../src/db/migrate.js';
import { withDatabase } from '../../support/database.js';

export type Backend = 'postgres' | 'embedded';

/**
 * Runs `use` on a fresh, migrated database `alertbook_bench_<random>` created
 * on `server` (a server's URL, or the embedded server's socket), dropped
 * afterwards whatever happens.
 */
export async function withScratchDatabase<T>(
  server: DatabaseTarget,
  use: (target: DatabaseTarget) => Promise<T>,
): Promise<T> {
  const name = `alertbook_bench_${randomBytes(6).toString('hex')}`;
  await onServer(server, (admin) => admin.unsafe(`create database ${name}`));
  try {
    const target = typeof server === 'string' ? withDatabase(server, name) : { ...server, database: name };
    await runMigrations(target);
    return await use(target);
  } finally {
    // force: a connection left behind by an interrupted run must not keep the database alive.
    await onServer(server, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
  }
}

/**
 * Runs `use` with the embedded Postgres of `npm start` (its production
 * settings), on a data dir of its own deleted afterwards.
 */
export async function withEmbeddedServer<T>(use: (server: DatabaseTarget) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'alertbook-bench-pg-'));
  await chmod(dataDir, 0o755); // mkdtemp's 0700 would lock out the server's account when we run as root.
  try {
    const server = await startEmbeddedServer({ dataDir });
    try {
      return await use(server.target);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function serverVersion(serverUrl: string): Promise<string> {
  const [row] = await onServer(serverUrl, (admin) => admin<{ server_version: string }[]>`show server_version`);
  return row?.server_version ?? 'unknown';
}

async function onServer<T>(server: DatabaseTarget, use: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgresClient(server, { max: 1, onnotice: () => {} });
  try {
    return await use(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
