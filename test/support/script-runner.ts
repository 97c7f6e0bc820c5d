import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDeno } from '../../src/script-cells/deno-binary.js';
import { QueryGateway } from '../../src/script-cells/query-gateway.js';
import { ScriptRunner, type ScriptRunnerDeps } from '../../src/script-cells/script-runner.js';
import type { DatasourceLookup } from '../../src/prometheus/datasources.js';

export interface ScriptSandbox {
  runner: ScriptRunner;
  gateway: QueryGateway;
  dataDir: string;
  runbooksDir: string;
  close(): Promise<void>;
}

/** A runner over throwaway data and runbooks folders, with a secret in the data dir and one readable runbook file. */
export async function createScriptSandbox(
  datasources: DatasourceLookup,
  overrides: Partial<Omit<ScriptRunnerDeps, 'gateway'>> = {},
): Promise<ScriptSandbox> {
  const root = await mkdtemp(join(tmpdir(), 'alertbook-sandbox-'));
  const dataDir = join(root, 'data');
  const runbooksDir = join(root, 'runbooks');
  await mkdir(join(runbooksDir, 'data'), { recursive: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'secret.txt'), 'data-dir-secret');
  await writeFile(join(runbooksDir, 'data', 'routes.json'), '["/checkout","/cart"]');
  const gateway = new QueryGateway(datasources);
  const runner = new ScriptRunner({
    deno: locateDeno(),
    denoDir: join(dataDir, 'deno'),
    runbooksDir,
    gateway,
    serviceEnv: {
      DATABASE_URL: 'postgres://admin:hunter2@db/alertbook',
      ALERTBOOK_API_TOKENS: 'alice:alice-token',
      REGION: 'eu-west-1',
    },
    ceiling: { net: [], env: ['REGION'] },
    concurrency: 2,
    ...overrides,
  });
  return {
    runner,
    gateway,
    dataDir,
    runbooksDir,
    async close() {
      await gateway.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const NO_ALERT = { labels: {}, annotations: {} };
export const SOME_INCIDENT = { id: 1, title: 'HighErrorRate', status: 'firing', startedAt: '2026-12-03T10:00:00.000Z' };
