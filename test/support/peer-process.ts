import { basename } from 'node:path';
import { spawnChildGroup, waitUntilReady } from '../../src/demo/child-group.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
// Tests match on a peer's log (an Alertmanager's failed notifies in a storm, at debug level): keep plenty.
const LOG_BYTES = 8 * 1024 * 1024;

// The demo launcher (src/) needs it too; tests take it from there.
export { freeLoopbackPort } from '../../src/demo/free-port.js';

export interface PeerProcess {
  /** The process started (the group's leader). */
  pid: number;
  /** Settles when it has exited, with how ("code 0", "SIGKILL", or the spawn error). */
  exited: Promise<string>;
  /** What it wrote so far (stdout and stderr; Prometheus and Alertmanager log to stderr), for failure messages. */
  logs(): string;
  /** SIGTERM to its process group, then SIGKILL to whatever is left (after 5 s at most); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a peer binary (Prometheus, Alertmanager, Alertbook itself) as the demo
 * does (src/demo/child-group.ts) and waits until `readyUrl` answers 200. It is
 * killed if the test process exits first; if it never gets ready it is stopped
 * and the error carries its log.
 */
export async function startPeerProcess(
  bin: string,
  args: string[],
  readyUrl: string,
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<PeerProcess> {
  const group = spawnChildGroup(basename(bin), bin, args, { env: options.env, logBytes: LOG_BYTES });
  const stop = () => group.stop(STOP_TIMEOUT_MS);
  try {
    await waitUntilReady(group, readyUrl, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${bin} did not become ready: ${(error as Error).message}\n${group.log()}`);
  }
  return { pid: group.pid, exited: group.exited, logs: group.log, stop };
}
