import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnChildGroup, waitUntilReady, type ChildGroup } from '../../src/demo/child-group.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
// Tests match on a peer's log (an Alertmanager's failed notifies in a storm, at debug level): keep plenty.
const LOG_BYTES = 8 * 1024 * 1024;
const LOG_POLL_MS = 20;
// Prometheus and Alertmanager (exporter-toolkit) name the address they bound, the kernel's pick for port 0.
const LISTENING_ON = /msg="Listening on" address=127\.0\.0\.1:(\d+)/;

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
  await untilReady(group, bin, () => waitUntilReady(group, readyUrl, options.readyTimeoutMs ?? READY_TIMEOUT_MS));
  return peerOf(group);
}

/**
 * Starts a peer told to listen on port 0 (`--web.listen-address=127.0.0.1:0`, or `PORT=0` for Alertbook): the
 * kernel picks a free port as the peer binds, read back from the line of its log `listening` matches (first
 * group), so no other process can take the port between a probe and the bind (as with freeLoopbackPort).
 * `configure` runs once the port is known, before readiness is waited for (Prometheus's own scrape target).
 */
export async function startPeerOnAnyPort(
  bin: string,
  args: string[],
  options: {
    readyPath: string;
    listening?: RegExp;
    env?: NodeJS.ProcessEnv;
    readyTimeoutMs?: number;
    configure?: (origin: string) => Promise<void>;
  },
): Promise<PeerProcess & { origin: string }> {
  const group = spawnChildGroup(basename(bin), bin, args, { env: options.env, logBytes: LOG_BYTES });
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  let origin = '';
  await untilReady(group, bin, async () => {
    origin = `http://127.0.0.1:${await portFromLog(group, options.listening ?? LISTENING_ON, timeoutMs)}`;
    await options.configure?.(origin);
    await waitUntilReady(group, `${origin}${options.readyPath}`, timeoutMs);
  });
  return { ...peerOf(group), origin };
}

async function untilReady(group: ChildGroup, bin: string, ready: () => Promise<void>): Promise<void> {
  try {
    await ready();
  } catch (error) {
    await group.stop(STOP_TIMEOUT_MS);
    throw new Error(`${bin} did not become ready: ${(error as Error).message}\n${group.log()}`);
  }
}

function peerOf(group: ChildGroup): PeerProcess {
  return { pid: group.pid, exited: group.exited, logs: group.log, stop: () => group.stop(STOP_TIMEOUT_MS) };
}

async function portFromLog(group: ChildGroup, listening: RegExp, timeoutMs: number): Promise<number> {
  let exitReason: string | undefined;
  void group.exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const port = listening.exec(group.log())?.[1];
    if (port) return Number(port);
    if (exitReason !== undefined) throw new Error(`${group.name} exited (${exitReason}) before it listened`);
    await sleep(LOG_POLL_MS);
  }
  throw new Error(`${group.name} logged no ${listening} within ${Math.round(timeoutMs / 1000)} s`);
}
