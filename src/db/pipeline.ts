import type { SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';

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
  /** `send`, with COMMIT in the same batch: the transaction's last batch, resolved once committed. */
  commit(statements: SQLWrapper[]): Promise<Row[][]>;
}

/**
 * Runs `work` in one transaction: committed by `commit()`, or when `work`
 * resolves without having called it; rolled back when it throws.
 */
export type RunPipelined = <T>(work: (pipeline: Pipeline) => Promise<T>) => Promise<T>;

const dialect = new PgDialect();

/**
 * postgres.js pipelines the queries handed to one connection, but not through
 * drizzle: drizzle's queries are unnamed, and postgres.js describes an unnamed
 * statement with parameters in a round trip of its own before running it,
 * holding back everything queued behind it. Named (prepared) statements are
 * described once per connection and then pipeline freely.
 *
 * The transaction runs on a reserved connection rather than in postgres.js's
 * `begin`, whose BEGIN and COMMIT are a round trip each: here BEGIN rides
 * with the first batch and COMMIT with the last, so a two-batch transaction
 * is two round trips.
 */
export function pipelinedOnPostgresJs(client: postgres.Sql): RunPipelined {
  return async (work) => {
    const connection = await client.reserve();
    // Widened: TypeScript would narrow it to its initial value, not seeing run() change it.
    let state = 'not begun' as 'not begun' | 'open' | 'committed';
    // Set when a failure says the server closed (or is closing) the session.
    let sessionLost = false;

    async function run(statements: SQLWrapper[], commit: boolean): Promise<Row[][]> {
      if (state === 'committed') throw new Error('pipelined transaction: nothing can be sent after commit');
      const begins = state === 'not begun';
      state = commit ? 'committed' : 'open';
      // execute() hands each query to the connection now, so they are written in
      // this order. Answers come back in order too, so the first rejection is the
      // statement that failed (the later ones only say the transaction is aborted).
      const queries = [
        ...(begins ? [connection.unsafe('begin').execute()] : []),
        ...statements.map((statement) => {
          const query = dialect.sqlToQuery(statement.getSQL());
          return connection.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
        }),
        ...(commit ? [connection.unsafe('commit').execute()] : []),
      ];
      try {
        const answers = await Promise.all(queries);
        const first = begins ? 1 : 0;
        return answers.slice(first, first + statements.length).map((rows) => [...rows] as Row[]);
      } catch (error) {
        sessionLost ||= !sessionSurvives(error);
        throw error;
      }
    }

    let reusable = true;
    try {
      const value = await work({ send: (statements) => run(statements, false), commit: (statements) => run(statements, true) });
      if (state === 'open') await run([], true);
      return value;
    } catch (error) {
      // A COMMIT after a failed statement has already ended the transaction
      // (as a rollback); a second ROLLBACK only draws a warning.
      if (state !== 'not begun' && !sessionLost) {
        await connection.unsafe('rollback').execute().catch(() => (reusable = false));
      }
      throw error;
    } finally {
      // A connection the server dropped must not go back to the pool:
      // postgres.js has moved (or will move) it to its closed list, to be
      // reconnected, and release() would put it among the idle ones, dead.
      if (reusable && !sessionLost) connection.release();
    }
  };
}

/**
 * Whether the session is still there after `error`: the server answered with
 * an error that ends the statement, not the connection. Anything else (a
 * socket error, a connection closed, a FATAL from a terminated backend) means
 * nothing more is written on it: a ROLLBACK there could only fail (and, in
 * postgres.js 3.4.9 without our patch, crash the process from a timer).
 */
function sessionSurvives(error: unknown): boolean {
  return error instanceof postgres.PostgresError && error.severity !== 'FATAL' && error.severity !== 'PANIC';
}
