import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from './database.js';
import { startPeerOnAnyPort, type PeerProcess } from './peer-process.js';

export interface AlertbookProcess extends PeerProcess {
  origin: string;
}

// main.ts names the address it bound (PORT=0: the kernel's pick).
const LISTENING = /"msg":"listening","url":"http:\/\/127\.0\.0\.1:(\d+)"/;

// Starting from the TypeScript sources, on a busy 2-core machine (and building the notebook the first time).
const READY_TIMEOUT_MS = 90_000;

/**
 * `src/main.ts` in a process of its own, open on loopback, on the test's database
 * (one of several replicas when called again with the same database). `env` adds
 * ALERTBOOK_* settings.
 */
export async function startAlertbookProcess(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<AlertbookProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'alertbook-replica-'));
  const { DATABASE_URL: _other, ALERTBOOK_WEBHOOK_TOKEN: _w, ALERTBOOK_API_TOKENS: _a, ...inherited } = process.env;
  const service = await startPeerOnAnyPort(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    readyPath: '/readyz',
    listening: LISTENING,
    env: { ...inherited, ...databaseEnv(database), PORT: '0', ALERTBOOK_DATA_DIR: dataDir, ...env },
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return {
    ...service,
    async stop() {
      await service.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** DATABASE_URL for the test's database; the embedded server's socket and user come in PGHOST and PGUSER, as for libpq. */
function databaseEnv(database: TestDatabase): Record<string, string> {
  if (database.url) return { DATABASE_URL: database.url };
  const target = database.target as Exclude<TestDatabase['target'], string>;
  return { DATABASE_URL: `postgres:///${target.database}`, PGHOST: target.socketDir, PGUSER: target.user };
}
