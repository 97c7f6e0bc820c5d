import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { PROJECT_DIR } from '../project-dir.js';
import { postgresClient, rowsOf, type Database, type DatabaseTarget } from './client.js';

export const MIGRATIONS_DIR = join(PROJECT_DIR, 'migrations');

// An arbitrary constant shared by every replica: whoever holds it migrates, the others wait.
const MIGRATION_LOCK_ID = 0x616c7274; // "alrt"

/**
 * Applies the committed SQL migrations, on a single connection of its own
 * under an advisory lock, so replicas starting together do not race.
 */
export async function runMigrations(target: DatabaseTarget): Promise<void> {
  const client = postgresClient(target, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** True when every committed migration is recorded as applied (for /readyz). */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).length;
  try {
    const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const [row] = rowsOf<{ n: number }>(result);
    return (row?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
