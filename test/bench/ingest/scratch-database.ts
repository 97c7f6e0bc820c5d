import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase } from '../../../src/db/client.js';
import { runMigrations } from '../../../src/db/migrate.js';
import { withDatabase } from '../../support/database.js';

export type Backend = 'postgres' | 'pglite';

/**
 * Runs `use` on a fresh, migrated database `alertbook_bench_<random>` created
 * on the server at `serverUrl`, dropped afterwards whatever happens. (PGlite
 * rows need none: the app's process opens PGlite in memory.)
 */
export async function withScratchDatabase<T>(serverUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `alertbook_bench_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (admin) => admin.unsafe(`create database ${name}`));
  try {
    const url = withDatabase(serverUrl, name);
    const database = await createDatabase({ url });
    try {
      await runMigrations(database, url);
    } finally {
      await database.close();
    }
    return await use(url);
  } finally {
    // force: a connection left behind by an interrupted run must not keep the database alive.
    await onServer(serverUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
  }
}

export async function serverVersion(serverUrl: string): Promise<string> {
  const [row] = await onServer(serverUrl, (admin) => admin<{ server_version: string }[]>`show server_version`);
  return row?.server_version ?? 'unknown';
}

async function onServer<T>(serverUrl: string, use: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await use(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
