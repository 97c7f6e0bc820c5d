import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, rowsOf, type Database } from '../../src/db/client.js';
import { migrationsApplied, MIGRATIONS_DIR, runMigrations } from '../../src/db/migrate.js';
import { withDatabase } from '../support/database.js';

const REPLICAS = 4;
const serverUrl = process.env.TEST_DATABASE_URL!;
let name: string;
let url: string;

// A fresh, empty database: createTestDatabase() would already have migrated it.
beforeEach(async () => {
  name = `alertbook_migrate_${randomBytes(6).toString('hex')}`;
  url = withDatabase(serverUrl, name);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
});

afterEach(async () => {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe('runMigrations on a fresh Postgres database', () => {
  it(`lets ${REPLICAS} replicas starting at once all succeed, applying each migration once`, async () => {
    const replicas: Database[] = await Promise.all(
      Array.from({ length: REPLICAS }, () => createDatabase({ target: url, maxConnections: 1 })),
    );
    try {
      const results = await Promise.allSettled(replicas.map(() => runMigrations(url)));
      expect(results.map((r) => r.status)).toEqual(Array(REPLICAS).fill('fulfilled'));

      const [first] = replicas;
      expect(await migrationsApplied(first!)).toBe(true);
      const applied = rowsOf<{ hash: string }>(
        await first!.db.execute(sql`select hash from drizzle.__drizzle_migrations`),
      );
      expect(applied.map((m) => m.hash).sort()).toEqual(
        readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR })
          .map((m) => m.hash)
          .sort(),
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
