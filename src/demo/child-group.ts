import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const DEFAULT_LOG_BYTES = 16 * 1024;
const POLL_MS = 100;

export interface ChildGroup {
  name: string;
  pid: number;
  /** Settles when the leader has exited, with how ("code 0", "SIGTERM", or the spawn error). */
  exited: Promise<string>;
  /** What it wrote (stdout and stderr), its last `logBytes`. */
  log(): string;
  /** The last lines it wrote, for the message when it dies or never gets ready. */
  logTail(): string;
  /** SIGTERM to its process group, SIGKILL to whatever is left after `graceMs`; safe to call twice. */
  stop(graceMs: number): Promise<void>;
}

/**
 * A peer (Prometheus, Alertmanager, Alertbook) in a process group of its own, for the demo and the
 * tests: a Ctrl-C in the terminal reaches only the launcher, which stops the peers in its own order,
 * each group as a whole (whatever a peer started goes with it).
 */
export function spawnChildGroup(
  name: string,
  bin: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; logBytes?: number } = {},
): ChildGroup {
  const { logBytes = DEFAULT_LOG_BYTES, ...spawnOptions } = options;
  const child = spawn(bin, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-logBytes);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
  });
  let leaderGone = false;
  void exited.then(() => (leaderGone = true));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the whole group is gone already.
    }
  };
  // A launcher that exits without stopping (an uncaught error) must not leave the group behind.
  const killOnExit = () => signalGroup('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid ?? -1,
    exited,
    log: () => tail,
    logTail: () => tail.trimEnd().split('\n').slice(-20).join('\n'),
    stop(graceMs) {
      stopping ??= (async () => {
        process.off('exit', killOnExit);
        if (!leaderGone) {
          signalGroup('SIGTERM');
          await Promise.race([exited, sleep(graceMs)]);
        }
        // Whatever of the group outlived its leader or the grace period.
        signalGroup('SIGKILL');
        await exited;
      })();
      return stopping;
    },
  };
}

/** Resolves once `url` answers 2xx; rejects when the child exits first or `timeoutMs` passes. */
export async function waitUntilReady(child: ChildGroup, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void child.exited.then((reason) => (exitReason = reason));
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(`${child.name} exited (${exitReason}) before it was ready`);
    const ready = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return;
    await sleep(POLL_MS);
  }
  throw new Error(`${child.name} did not answer ${url} within ${Math.round(timeoutMs / 1000)} s`);
}
