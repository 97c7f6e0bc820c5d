import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

export interface TestDatabase extends Database {
  /** The URL of the database created for this test (real Postgres only). */
  url?: string;
  /** Closes the connection and drops the throwaway database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database: in-memory PGlite by default, or a throwaway
 * database on the server named by TEST_DATABASE_URL (dropped afterwards).
 */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await createDatabase({ inMemory: true });
    await runMigrations(database);
    return { ...database, destroy: () => database.close() };
  }
  const name = `alertbook_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const database = await createDatabase({ url, maxConnections: options.maxConnections ?? 10 });
  await runMigrations(database, url);
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
