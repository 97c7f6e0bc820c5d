import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { startEmbeddedServer } from '../../src/db/embedded-server.js';
import { runMigrations } from '../../src/db/migrate.js';
import { API_TOKENS, createTestApp, type TestApp } from '../support/app.js';
import { runAlertbook, type CliRun } from '../support/cli.js';
import { createTestDatabase } from '../support/database.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';
import { startTestServer, type TestServer } from '../support/server.js';

const work = mkdtempSync(join(tmpdir(), 'alertbook-report-cli-'));
const dataDir = join(work, 'data');
chmodSync(work, 0o755); // mkdtemp's 0700 would lock out the database's account when we run as root.

function alertbook(args: string[], env: Record<string, string>): Promise<CliRun> {
  // Only what the command is given: no DATABASE_URL leaking in from the test's own environment.
  return runAlertbook(['report', ...args], { cwd: work, env: { PATH: process.env.PATH!, ...env } });
}

let app: TestApp;
let server: TestServer;
let databaseEnv: Record<string, string>;
let expectedMarkdown: string;
// The embedded database admits one process: the server must let go before the CLI opens it.
let releaseForCli = async () => {};
let closeServer = async () => {};

beforeAll(async () => {
  // On a real Postgres the CLI reads the test's database by URL; otherwise an embedded one on disk it can open after us.
  let database;
  if (process.env.TEST_DATABASE_URL) {
    const testDatabase = await createTestDatabase();
    database = testDatabase;
    databaseEnv = { DATABASE_URL: testDatabase.url! };
  } else {
    const server = await startEmbeddedServer({ dataDir, durable: false });
    await runMigrations(server.target);
    const embedded = await createDatabase({ target: server.target });
    const destroy = async () => {
      await embedded.close();
      await server.stop();
    };
    database = { ...embedded, target: server.target, reset: async () => {}, destroy };
    databaseEnv = { ALERTBOOK_DATA_DIR: dataDir };
  }
  const history = historyGenerator();
  app = await createTestApp(database, history.deps);
  await history.attach(app);
  await buildDstWeekHistory(history);
  history.cleanup();
  expectedMarkdown = await (await app.api('/reports/weekly?week=2026-W43&tz=Europe/Berlin&format=md')).text();
  server = await startTestServer(app);
  // Closing the server closes the app's database (and drops a Postgres test database).
  if (process.env.TEST_DATABASE_URL) closeServer = () => server.close();
  else releaseForCli = () => server.close();
}, 120_000);

afterAll(async () => {
  await closeServer();
  rmSync(work, { recursive: true, force: true });
});

// Each run starts node and tsx: seconds apiece on a busy machine.
describe('alertbook report', { timeout: 120_000 }, () => {
  it('--server asks a running service and prints what the API serves', async () => {
    const run = await alertbook(['--week', '2026-W43', '--tz', 'Europe/Berlin', '--server', server.url], {
      ALERTBOOK_TOKEN: API_TOKENS[0]!.token,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expectedMarkdown);
    const denied = await alertbook(['--week', '2026-W43', '--server', server.url], { ALERTBOOK_TOKEN: 'wrong' });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/answered 401/);
  });

  it('reads the database directly (after the server let go of it) and writes --out in any format', async () => {
    await releaseForCli();
    const md = await alertbook(['--week', '2026-W43', '--tz', 'Europe/Berlin', '--out', 'w43.md'], databaseEnv);
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    // The same report but for when it was made (the CLI runs on the real clock).
    const undated = (md: string) => md.replace(/generated \d{4}-\d\d-\d\d \d\d:\d\d/, 'generated …');
    expect(undated(readFileSync(join(work, 'w43.md'), 'utf8'))).toBe(undated(expectedMarkdown));
    const json = await alertbook(['--week', '2026-W43', '--format', 'json'], {
      ...databaseEnv,
      ALERTBOOK_REPORT_TZ: 'Europe/Berlin',
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).volume.incidentsOpened.value).toBe(6);
    const html = await alertbook(['--week', '2026-W43', '--tz', 'Europe/Berlin', '--format', 'html'], databaseEnv);
    expect(html.stdout).toMatch(/^<!doctype html>/);
  });

  it('names the bad option and exits 2', async () => {
    const week = await alertbook(['--week', '2026-W00', '--server', 'http://127.0.0.1:9'], {});
    expect(week).toMatchObject({ code: 2, stderr: expect.stringContaining('--week: 2026 has ISO weeks 01 to 53') });
    const format = await alertbook(['--format', 'pdf'], {});
    expect(format).toMatchObject({ code: 2, stderr: expect.stringContaining('--format') });
    const unknown = await alertbook(['--weak', '2026-W01'], {});
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('--weak') });
  });
});
