import type { SQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { beforeDeadline, serverTimeoutMs, type Deadline } from '../deadline.js';

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
  /**
   * The whole transaction as one statement, sent without BEGIN and COMMIT: the server runs a lone statement as a
   * transaction of its own and commits it before answering. Saves the app and the server a statement each way, but
   * sets no timeouts on the server (`serverTimeoutMs` says how long): the statement bounds its own waits.
   */
  alone(statement: SQLWrapper): Promise<Row[]>;
}

/**
 * Runs `work` in one transaction: committed by `commit()`, or when `work`
 * resolves without having called it; rolled back when it throws. With a
 * deadline, it rejects with the deadline's reason once that passes, whether it
 * was waiting for a connection or for an answer.
 */
export type RunPipelined = <T>(work: (pipeline: Pipeline) => Promise<T>, deadline?: Deadline) => Promise<T>;

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
 *
 * A deadline is kept on both ends. Here, the caller gets its answer when it
 * passes; the connection goes back to the pool only once everything written
 * on it has been answered (a connection that arrives too late goes back at
 * once). On the server, the transaction sets its `statement_timeout` and
 * `idle_in_transaction_session_timeout` to the time left, plus a margin so
 * that the caller hears of the deadline first: a statement stuck behind a
 * lock ends, and a session whose client went silent (a network blackhole)
 * ends and drops its locks, instead of holding the group's other deliveries.
 */
export function pipelinedOnPostgresJs(client: postgres.Sql): RunPipelined {
  return async (work, deadline) => {
    deadline?.signal.throwIfAborted();
    const connection = await beforeDeadline(client.reserve(), deadline?.signal, (late) => late.release());
    // Widened: TypeScript would narrow it to its initial value, not seeing run() change it.
    let state = 'not begun' as 'not begun' | 'open' | 'committed' | 'alone';
    const written: Promise<unknown>[] = [];

    function prepared(statement: SQLWrapper) {
      const query = dialect.sqlToQuery(statement.getSQL());
      return connection
        .unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true })
        .execute();
    }

    async function run(statements: SQLWrapper[], commit: boolean): Promise<Row[][]> {
      if (state === 'committed' || state === 'alone')
        throw new Error('pipelined transaction: nothing can be sent after commit');
      deadline?.signal.throwIfAborted();
      const begins = state === 'not begun';
      state = commit ? 'committed' : 'open';
      // execute() hands each query to the connection now, so they are written in
      // this order. Answers come back in order too, so the first rejection is the
      // statement that failed (the later ones only say the transaction is aborted).
      const queries = [
        ...(begins ? [connection.unsafe(beginStatement(deadline)).execute()] : []),
        ...statements.map(prepared),
        ...(commit ? [connection.unsafe('commit').execute()] : []),
      ];
      written.push(...queries);
      const answers = await beforeDeadline(Promise.all(queries), deadline?.signal);
      const first = begins ? 1 : 0;
      return answers.slice(first, first + statements.length).map((rows) => [...rows] as Row[]);
    }

    /**
     * Ends the transaction once every query written has its answer, and gives
     * the connection back unless the server dropped the session: postgres.js
     * has then moved (or will move) it to its closed list, to be reconnected,
     * and release() would put it among the idle ones, dead. Nothing more is
     * written on a lost session either: a reconnected one may already carry
     * another caller's transaction. A COMMIT after a failed statement has
     * already ended the transaction (as a rollback), and a ROLLBACK after a
     * COMMIT only draws a warning.
     */
    async function endAfterFailure(failure: unknown): Promise<void> {
      // A lost session has nothing left to answer or roll back: once the server has ended it, queries still
      // queued on it may never settle, and waiting for them would hold the request (and the connection) forever.
      if (sessionLost(failure)) return;
      const answers = await Promise.allSettled(written);
      if (answers.some((a) => a.status === 'rejected' && !sessionSurvives(a.reason))) return;
      // A lone statement that failed was rolled back by the server.
      if (state === 'open' || state === 'committed') {
        const rolledBack = await connection
          .unsafe('rollback')
          .execute()
          .then(
            () => true,
            () => false,
          );
        if (!rolledBack) return;
      }
      connection.release();
    }

    async function alone(statement: SQLWrapper): Promise<Row[]> {
      if (state !== 'not begun') throw new Error('pipelined transaction: a lone statement is the whole transaction');
      deadline?.signal.throwIfAborted();
      state = 'alone';
      const answer = prepared(statement);
      written.push(answer);
      return [...(await beforeDeadline(answer, deadline?.signal))] as Row[];
    }

    try {
      const value = await work({
        send: (statements) => run(statements, false),
        commit: (statements) => run(statements, true),
        alone,
      });
      if (state === 'open') await run([], true);
      connection.release();
      return value;
    } catch (error) {
      // Past the deadline the answer goes now and the connection follows when its queries are answered.
      if (deadline?.signal.aborted) void endAfterFailure(error);
      else await endAfterFailure(error);
      throw error;
    }
  };
}

function beginStatement(deadline: Deadline | undefined): string {
  if (!deadline) return 'begin';
  const ms = serverTimeoutMs(deadline);
  return `begin; set local statement_timeout = ${ms}; set local idle_in_transaction_session_timeout = ${ms}`;
}

/**
 * Whether the session is still there after `error`: the server answered with
 * an error that ends the statement, not the connection. Anything else (a
 * socket error, a connection closed, a FATAL from a terminated backend) means
 * nothing more is written on it: a ROLLBACK there could only fail (and, in
 * postgres.js 3.4.9 without our patch, crash the process from a timer).
 */
/** The server ended the session (FATAL, PANIC) or the connection went away: postgres.js reconnects it. */
function sessionLost(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) return error.severity === 'FATAL' || error.severity === 'PANIC';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('CONNECTION_');
}

function sessionSurvives(error: unknown): boolean {
  return error instanceof postgres.PostgresError && error.severity !== 'FATAL' && error.severity !== 'PANIC';
}
