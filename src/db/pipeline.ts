import type { PGlite } from '@electric-sql/pglite';
import type { SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';

export type Row = Record<string, unknown>;

/**
 * A transaction whose statements travel in batches. On a server, every
 * statement of a batch is written at once and the answers are read at once:
 * one round trip per batch, however many statements it holds. The statements
 * of a batch run in the order given, each seeing what the ones before it did.
 */
export interface Pipeline {
  /** Runs `statements` in order; resolves with each one's rows, or rejects with the first failure. */
  send(statements: SQLWrapper[]): Promise<Row[][]>;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export type RunPipelined = <T>(work: (pipeline: Pipeline) => Promise<T>) => Promise<T>;

const dialect = new PgDialect();

/**
 * postgres.js pipelines the queries handed to one connection, but not through
 * drizzle: drizzle's queries are unnamed, and postgres.js describes an unnamed
 * statement with parameters in a round trip of its own before running it,
 * holding back everything queued behind it. Named (prepared) statements are
 * described once per connection and then pipeline freely.
 *
 * The transaction is postgres.js's own `begin`, which owns the connection's
 * reservation, rollback and return to the pool, and copes with a connection
 * lost midway; its BEGIN and COMMIT are a round trip each. (Its `reserve()`
 * would let BEGIN and COMMIT ride with the batches, but in postgres.js 3.4 a
 * reserved connection the server drops can come back from the pool dead.)
 */
export function pipelinedOnPostgresJs(client: postgres.Sql): RunPipelined {
  return async (work) => {
    const outcome = await client.begin(async (tx) => {
      async function send(statements: SQLWrapper[]): Promise<Row[][]> {
        // execute() hands each query to the connection now, so they are written in
        // this order. Answers come back in order too, so the first rejection is the
        // statement that failed (the later ones only say the transaction is aborted).
        const queries = statements.map((statement) => {
          const query = dialect.sqlToQuery(statement.getSQL());
          return tx.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
        });
        return (await Promise.all(queries)).map((rows) => [...rows] as Row[]);
      }
      // Wrapped: `begin` would await an array result as a list of promises.
      return { value: await work({ send }) };
    });
    return outcome.value;
  };
}

/**
 * PGlite runs in this process: there is no round trip to save, statements run
 * one after another inside its own transaction, which commits when `work`
 * resolves. Errors are the driver's own, as on a server.
 */
export function pipelinedOnPglite(client: PGlite): RunPipelined {
  return (work) =>
    client.transaction(async (tx) => {
      async function send(statements: SQLWrapper[]): Promise<Row[][]> {
        const answers: Row[][] = [];
        for (const statement of statements) {
          const query = dialect.sqlToQuery(statement.getSQL());
          answers.push((await tx.query<Row>(query.sql, query.params)).rows);
        }
        return answers;
      }
      return work({ send });
    });
}
