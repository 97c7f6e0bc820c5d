import { defineConfig } from 'vitest/config';

// Suites that only mean something on a real Postgres server: outages under
// load, connections cut mid-transaction, replicas migrating at once, over TCP
// (a proxy cuts the line). A missing server is a failure, never a silent skip.
if (!process.env.TEST_DATABASE_URL) {
  throw new Error(
    'test/vitest.pg.config.ts needs TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test); ' +
      'these suites test real-Postgres behaviour and refuse to run without one',
  );
}

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/pg/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
