import { defineConfig } from 'vitest/config';

// End-to-end suites against real peers started by the tests themselves:
// Alertmanager, Prometheus and Debian's Chromium. Run by .ci/run after `npm test`.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
