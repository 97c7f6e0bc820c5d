import { defineConfig } from 'vitest/config';

// `npm test`: unit tests beside the code and the integration suite in test/,
// on one embedded Postgres for the run (started by global-setup.ts, a database
// per test file) or on the server named by TEST_DATABASE_URL.
// The end-to-end suites (real Alertmanager, Prometheus, Chromium) have their
// own config, run by .ci/run.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/bench/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
