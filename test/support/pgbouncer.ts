import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { spawnChildGroup } from '../../src/demo/child-group.js';
import { freeLoopbackPort } from './peer-process.js';

// Debian's package (`apt-get install pgbouncer`); .ci/run installs it.
const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';
const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

export interface RunningPgBouncer {
  /** `databaseUrl`'s database, through PgBouncer. */
  url: string;
  close(): Promise<void>;
}

/**
 * A real PgBouncer on loopback in front of `databaseUrl`'s server and database, pooling sessions (the mode
 * Alertbook needs: LISTEN and named prepared statements live in a session), trusting every user as the server
 * does here. PgBouncer refuses to run as root, so as root it runs as `postgres`.
 */
export async function startPgBouncer(databaseUrl: string): Promise<RunningPgBouncer> {
  const server = new URL(databaseUrl);
  const database = server.pathname.slice(1);
  const user = decodeURIComponent(server.username);
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-pgbouncer-'));
  await chmod(dir, 0o755);
  const port = await freeLoopbackPort();
  const config = join(dir, 'pgbouncer.ini');
  await writeFile(join(dir, 'users.txt'), `"${user}" ""\n`);
  await writeFile(
    config,
    [
      '[databases]',
      `${database} = host=${server.hostname} port=${server.port || 5432} dbname=${database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = session',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const group = spawnChildGroup('pgbouncer', PGBOUNCER_BIN, [...(asRoot ? ['-u', 'postgres'] : []), config]);
  const close = async () => {
    await group.stop(5_000);
    await rm(dir, { recursive: true, force: true });
  };
  const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`;
  try {
    await untilAnswering(url, group.exited);
  } catch (error) {
    await close();
    throw new Error(`pgbouncer did not start: ${(error as Error).message}\n${group.log()}`);
  }
  return { url, close };
}

async function untilAnswering(url: string, exited: Promise<string>): Promise<void> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(`it exited (${exitReason})`);
    const client = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
    const answered = await client`select 1`.then(
      () => true,
      () => false,
    );
    await client.end({ timeout: 1 });
    if (answered) return;
    await sleep(POLL_MS);
  }
  throw new Error(`no answer within ${READY_TIMEOUT_MS / 1000} s`);
}
