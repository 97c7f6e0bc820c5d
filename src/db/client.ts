import { randomUUID } from 'node:crypto';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { pipelinedOnPostgresJs, type RunPipelined } from './pipeline.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The one database type the rest of the code sees. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  db: Db;
  /** Where it is: a replica opens its own LISTEN connection there (src/db/replica-link.ts). */
  target: DatabaseTarget;
  /**
   * This pool's name as a replica, random per pool. Every connection carries it in its application_name
   * (`alertbook <replica>`), so the NOTIFY of a timeline change names the replica that wrote it.
   */
  replica: string;
  /** Transactions whose statements are sent in batches (intake's hot path). */
  pipelined: RunPipelined;
  /** Round-trip to the server; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A server's Unix socket (the embedded one listens on nothing else). */
export interface SocketTarget {
  socketDir: string;
  user: string;
  database: string;
}

/** Where the database is: a postgres:// URL, or a Unix socket. */
export type DatabaseTarget = string | SocketTarget;

export interface DatabaseOptions {
  target: DatabaseTarget;
  maxConnections?: number;
}

/**
 * A replica's pool connections' application_name, as pg_stat_activity shows them and as the
 * `timeline_events_notify` trigger (migration 0011) reports the writer of a change.
 */
export function replicaApplicationName(replica: string): string {
  return `alertbook ${replica}`;
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const replica = randomUUID();
  const client = postgresClient(options.target, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
    // Sent at connect, no statement per transaction; poolers (PgBouncer) pass application_name on.
    connection: { application_name: replicaApplicationName(replica) },
    // Fail fast when the server is gone so intake can answer 503 and Alertmanager retries.
    connect_timeout: 5,
    // Reconnect within a second: the callers retry on their own (Alertmanager with its backoff), so
    // postgres.js's default (3^n / 100 s, up to 20 s) only kept requests waiting once the server was back.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    target: options.target,
    replica,
    pipelined: pipelinedOnPostgresJs(client),
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** A postgres.js client for `target`; a socket is a `host` that is a directory, as in libpq. */
export function postgresClient(
  target: DatabaseTarget,
  options: postgres.Options<Record<string, postgres.PostgresType>>,
): postgres.Sql {
  if (typeof target === 'string') return postgres(target, options);
  return postgres({ ...options, host: target.socketDir, port: 5432, user: target.user, database: target.database });
}

/** Rows of a raw `db.execute()` (postgres.js answers with an array of rows). */
export function rowsOf<T>(result: unknown): T[] {
  return result as T[];
}
