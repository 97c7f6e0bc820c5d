import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type Database } from '../../../src/db/client.js';
import { runMigrations } from '../../../src/db/migrate.js';
import { withDatabase } from '../../support/database.js';

export type Backend = 'postgres' | 'pglite';

/** A migrated, empty database that lives for one measurement. */
export interface ScratchDatabase {
  database: Database;
  /** Where it is, for clients of their own (real Postgres only). */
  url: string | undefined;
  /** Closes it and, on a server, drops it. */
  dispose(): Promise<void>;
}

/** Runs `use` on a fresh database, disposed of afterwards whatever happens. */
export async function withScratchDatabase<T>(
  backend: Backend,
  serverUrl: string,
  use: (scratch: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const scratch = await openScratchDatabase(backend, serverUrl);
  try {
    return await use(scratch);
  } finally {
    await scratch.dispose();
  }
}

/** In-memory PGlite, or `alertbook_bench_<random>` created on the server at `serverUrl`. */
async function openScratchDatabase(backend: Backend, serverUrl: string): Promise<ScratchDatabase> {
  if (backend === 'pglite') {
    const database = await createDatabase({ inMemory: true });
    return migrated({ database, url: undefined, dispose: () => database.close() });
  }
  const name = `alertbook_bench_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.unsafe(`create database ${name}`));
  const url = withDatabase(serverUrl, name);
  const database = await createDatabase({ url });
  return migrated({
    database,
    url,
    async dispose() {
      await database.close();
      // force: a connection left behind by an interrupted run must not keep the database alive.
      await onServer(serverUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  });
}

export async function serverVersion(serverUrl: string): Promise<string> {
  const [row] = await onServer(serverUrl, (admin) => admin<{ server_version: string }[]>`show server_version`);
  return row?.server_version ?? 'unknown';
}

async function migrated(scratch: ScratchDatabase): Promise<ScratchDatabase> {
  try {
    await runMigrations(scratch.database, scratch.url);
    return scratch;
  } catch (error) {
    await scratch.dispose();
    throw error;
  }
}

async function onServer<T>(serverUrl: string, use: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await use(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
