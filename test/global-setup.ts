import { startTestServer, TEST_SERVER_ENV } from './support/embedded-test-server.js';

// Without TEST_DATABASE_URL, the run's one embedded Postgres: started before
// the workers (which inherit its address through the environment), stopped
// after the last of them.
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const server = await startTestServer();
  process.env[TEST_SERVER_ENV] = JSON.stringify(server.target);
  return () => server.stop();
}
