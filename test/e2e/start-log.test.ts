// What the service says at start: each datasource and whether it answered, the
// runbooks and the alerting rules it loaded and from where.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertbookProcess, type AlertbookProcess } from '../support/alertbook-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { freeLoopbackPort } from '../support/peer-process.js';

const SHIPPED = new URL('../../runbooks/', import.meta.url).pathname;

let database: TestDatabase;
let prometheus: FakePrometheus;
let service: AlertbookProcess;
let deadUrl: string;
const runbooksDir = mkdtempSync(join(tmpdir(), 'alertbook-start-log-'));

type LogLine = { level: string; msg: string } & Record<string, unknown>;

beforeAll(async () => {
  // Two of the shipped runbooks and one of their rule files.
  for (const file of ['queue-backlog.md', 'target-down.md', 'rules/web-api.yaml'])
    cpSync(join(SHIPPED, file), join(runbooksDir, file), { recursive: true });
  database = await createTestDatabase();
  prometheus = await startFakePrometheus();
  // A port nobody listens on: connection refused.
  deadUrl = `http://127.0.0.1:${await freeLoopbackPort()}`;
  service = await startAlertbookProcess(database, {
    PROMETHEUS_URL: prometheus.url,
    ALERTBOOK_DATASOURCES: JSON.stringify([{ name: 'gone', url: deadUrl }]),
    RUNBOOKS_DIR: runbooksDir,
  });
}, 240_000);

afterAll(async () => {
  await service?.stop();
  await prometheus?.close();
  await database?.destroy();
  rmSync(runbooksDir, { recursive: true, force: true });
});

function logLines(): LogLine[] {
  return service
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The log line matching `msg` and `fields`, once the service has written it. */
async function logged(msg: string, fields: Record<string, unknown>): Promise<LogLine> {
  const find = () =>
    logLines().find((line) => line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v));
  await expect.poll(find, { timeout: 10_000, interval: 100 }).toBeDefined();
  return find()!;
}

describe('the start-up log', () => {
  it('says which datasource answered and which did not, with its address', async () => {
    const up = await logged('datasource answered', { datasource: 'default' });
    expect(up).toMatchObject({ level: 'info', url: prometheus.url, ms: expect.any(Number) });
    expect(prometheus.requests.some((r) => r.path === '/api/v1/query' && r.params.query === '1')).toBe(true);

    const down = await logged('datasource did not answer', { datasource: 'gone' });
    expect(down).toMatchObject({ level: 'warn', url: deadUrl });
    expect(down.error).toMatch(/unreachable/);
  });

  it('counts the runbooks and the alerting rules loaded, with where they were read from', async () => {
    const runbooks = await logged('runbooks loaded', { dir: runbooksDir });
    expect(runbooks).toMatchObject({ runbooks: 2, withErrors: [] });
    const rules = await logged('alerting rules loaded', {});
    expect(rules).toMatchObject({ rules: 22, patterns: [`${runbooksDir}/rules/**/*.{yml,yaml}`] });
  });
});
