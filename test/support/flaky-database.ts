import type { Database } from '../../src/db/client.js';

/**
 * The database, except that its first `failures` statements or transactions
 * (pipelined ones included) fail the way a dropped Postgres connection does
 * (`ECONNREFUSED`), so the app goes through its real "database unreachable → 503" path.
 */
export function withUnreachableDatabase<D extends Database>(database: D, failures = Infinity): D {
  let attempts = 0;
  const refuse = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
  const db = new Proxy(database.db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property !== 'transaction' && property !== 'execute') || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        attempts += 1;
        return attempts <= failures ? refuse() : Reflect.apply(value, target, args);
      };
    },
  });
  const pipelined: Database['pipelined'] = (work) => {
    attempts += 1;
    return attempts <= failures ? refuse() : database.pipelined(work);
  };
  return { ...database, db, pipelined };
}
