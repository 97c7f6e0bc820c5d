import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createDatabase, postgresClient, type Database, type DatabaseTarget } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { TEMPLATE_DATABASE, testServerTarget } from './embedded-test-server.js';

export interface TestDatabase extends Database {
  /** Where the database created for this test file is. */
  target: DatabaseTarget;
  /** The URL of that database, when it is on the server named by TEST_DATABASE_URL. */
  url?: string;
  /** Empties every table and restarts identities: a clean slate between tests, without re-migrating. */
  reset(): Promise<void>;
  /** Closes the connection and drops the throwaway database. */
  destroy(): Promise<void>;
}

// Every table the migrations create; one TRUNCATE keeps foreign keys consistent.
const TABLES = sql`incidents, alerts, timeline_events, notifications, incident_steps, runbooks, runbook_versions, stored_reports, report_deliveries, tuning_evidence, tuning_decisions, tuning_decision_events, outbox`;

/**
 * A fresh, migrated database of its own: a copy of the migrated template on
 * the run's embedded server (test/global-setup.ts), or a throwaway database
 * on the server named by TEST_DATABASE_URL (created and migrated here).
 * Either is dropped by destroy(). Suites create one per file and `reset()` it
 * between tests.
 */
export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const embedded = testServerTarget();
  if (!serverUrl && !embedded) {
    throw new Error(
      'no test database server: run under a test/vitest*.config.ts (its globalSetup starts one), or set TEST_DATABASE_URL',
    );
  }
  const server: DatabaseTarget = serverUrl ?? embedded!;
  const name = `alertbook_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, (admin) =>
    admin.unsafe(serverUrl ? `create database ${name}` : `create database ${name} template ${TEMPLATE_DATABASE}`),
  );
  const target: DatabaseTarget = serverUrl ? withDatabase(serverUrl, name) : { ...embedded!, database: name };
  if (serverUrl) await runMigrations(target);
  const database = await createDatabase({ target, maxConnections: options.maxConnections ?? 10 });
  return {
    ...database,
    target,
    ...(typeof target === 'string' ? { url: target } : {}),
    reset: () => truncateAll(database),
    async destroy() {
      await database.close();
      await onServer(server, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

async function onServer<T>(
  server: DatabaseTarget,
  use: (admin: ReturnType<typeof postgresClient>) => Promise<T>,
): Promise<T> {
  const admin = postgresClient(server, { max: 1, onnotice: () => {} });
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

async function truncateAll(database: Database): Promise<void> {
  await database.db.execute(sql`truncate ${TABLES} restart identity cascade`);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
