import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

// The demo launcher (src/) needs it too; tests take it from there.
export { freeLoopbackPort } from '../../src/demo/free-port.js';

export interface PeerProcess {
  /** The process started (the group's leader). */
  pid: number;
  /** Settles when it has exited, with how. */
  exited: Promise<string>;
  /** Everything it wrote to stderr so far (Prometheus and Alertmanager log there), for failure messages. */
  logs(): string;
  /** SIGTERM to its process group, then SIGKILL to whatever is left (after 5 s at most); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a peer binary (Prometheus, Alertmanager, Alertbook itself) and waits
 * until `readyUrl` answers 200. It is killed if the test process exits first;
 * if it never gets ready it is stopped and the error carries its log.
 */
export async function startPeerProcess(
  bin: string,
  args: string[],
  readyUrl: string,
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<PeerProcess> {
  // A process group of its own, signalled as a whole: whatever it started goes too.
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env: options.env, detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // ESRCH: the whole group is gone already.
    }
  };
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
  });
  // A crashed test runner must not leave it behind.
  const killOnExit = () => signalGroup('SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGTERM');
      await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
    }
    // Whatever of the group outlived the leader (or the grace period).
    signalGroup('SIGKILL');
    await exited;
  };

  try {
    await waitUntilReady(readyUrl, exited, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${bin} did not become ready: ${(error as Error).message}\n${stderr}`);
  }
  return { pid: child.pid!, exited, logs: () => stderr, stop };
}

async function waitUntilReady(url: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  while (Date.now() < deadline) {
    if (exitReason) throw new Error(exitReason);
    const ready = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}
