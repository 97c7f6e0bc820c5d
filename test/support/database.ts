import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

export interface TestDatabase extends Database {
  /** The URL of the database created for this test file (real Postgres only). */
  url?: string;
  /** Empties every table and restarts identities: a clean slate between tests, without re-migrating. */
  reset(): Promise<void>;
  /** Closes the connection and drops the throwaway database. */
  destroy(): Promise<void>;
}

// Every table the migrations create; one TRUNCATE keeps foreign keys consistent.
const TABLES = sql`incidents, alerts, timeline_events, notifications, incident_steps, runbooks, runbook_versions, stored_reports, report_deliveries`;

/**
 * A fresh, migrated database: in-memory PGlite by default, or a throwaway
 * database on the server named by TEST_DATABASE_URL (dropped afterwards).
 * Creating one costs seconds (PGlite boot, migrations), so suites create one
 * per file and `reset()` it between tests.
 */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await createDatabase({ inMemory: true });
    await runMigrations(database);
    return { ...database, reset: () => truncateAll(database), destroy: () => database.close() };
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
    reset: () => truncateAll(database),
    async destroy() {
      await database.close();
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function truncateAll(database: Database): Promise<void> {
  await database.db.execute(sql`truncate ${TABLES} restart identity cascade`);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
