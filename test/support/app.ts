import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createApp, type AppDeps } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  database: TestDatabase;
  app: ReturnType<typeof createApp>['app'];
  bus: ReturnType<typeof createApp>['bus'];
  metrics: ReturnType<typeof createApp>['metrics'];
  /** `serve()`'s websocket option, for serving over a real socket: see test/support/notebook-server.ts. */
  websocket: ReturnType<typeof createApp>['websocket'];
  /** Tuning decisions: verifyDue() and rulesLoaded() called directly by tests. */
  tuning: ReturnType<typeof createApp>['tuning'];
  /** Script cells: the runner, its gateway. */
  scripts: ReturnType<typeof createApp>['scripts'];
  /** The outbox worker, when the overrides asked for one (`outbox`). */
  outbox: ReturnType<typeof createApp>['outbox'];
  /** POST a webhook body (object → JSON) with the test webhook token. */
  hook(body: unknown, init?: { headers?: Record<string, string>; raw?: string }): Promise<Response>;
  api(path: string, init?: RequestInit & { json?: unknown; as?: string }): Promise<Response>;
  close(): Promise<void>;
}

export const WEBHOOK_TOKEN = 'test-webhook-token';
export const API_TOKENS = [
  { name: 'alice', token: 'alice-token' },
  { name: 'bob', token: 'bob-token' },
];

/**
 * One app over one migrated database per test file, emptied before each test.
 * Returns a getter: `const t = useTestApp(); … t().hook(body)`.
 */
export function useTestApp(overrides: Partial<AppDeps> = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp(await createTestDatabase(), overrides);
  });
  beforeEach(async () => {
    await current!.database.reset();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => current!;
}

export async function createTestApp(database: TestDatabase, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const { app, bus, metrics, hub, scripts, outbox, websocket, tuning } = createApp({
    config: { webhookToken: WEBHOOK_TOKEN, apiTokens: API_TOKENS, bodyLimit: 16 * 1024 * 1024 },
    database,
    logger: createLogger({ silent: true }),
    ...overrides,
  });
  return {
    database,
    app,
    bus,
    metrics,
    websocket,
    scripts,
    tuning,
    outbox,
    hook: (body, init = {}) =>
      Promise.resolve(
        app.request('/hooks/alertmanager', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}`, ...init.headers },
          body: init.raw ?? JSON.stringify(body),
        }),
      ),
    api: (path, init = {}) => {
      const { json, as = 'alice', ...rest } = init;
      const token = API_TOKENS.find((t) => t.name === as)?.token ?? as;
      return Promise.resolve(
        app.request(`/api/v1${path}`, {
          ...rest,
          headers: {
            authorization: `Bearer ${token}`,
            ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(rest.headers as Record<string, string> | undefined),
          },
          ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        }),
      );
    },
    close: async () => {
      tuning.stop();
      hub.close();
      await outbox?.stop();
      await scripts.gateway.close();
      await database.destroy();
    },
  };
}
