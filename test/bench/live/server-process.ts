import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FromServer, ToServer } from './server-messages.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const STOP_TIMEOUT_MS = 10_000;

export interface UpstreamAnswer {
  query: string;
  end: number;
  at: number;
}

export interface BenchServer {
  /** `ws://127.0.0.1:<port>/api/v1/live` */
  liveUrl: string;
  /** Every upstream answer the hub received, in order. */
  readonly answers: readonly UpstreamAnswer[];
  rssBytes(): Promise<number>;
  cpuSeconds(): Promise<number>;
  /** The hub's metrics, Prometheus text format. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts test/bench/live/server.ts in a child process (through tsx) against `prometheusUrl`. */
export async function startBenchServer(prometheusUrl: string, token: string): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, BENCH_PROMETHEUS_URL: prometheusUrl, BENCH_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const answers: UpstreamAnswer[] = [];
  const waiting = new Map<
    FromServer['type'],
    { resolve: (message: FromServer) => void; reject: (error: Error) => void }
  >();
  child.on('message', (message: FromServer) => {
    if (message.type === 'answer') answers.push(message);
    waiting.get(message.type)?.resolve(message);
    waiting.delete(message.type);
  });
  child.once('exit', (code) => {
    for (const [reply, { reject }] of waiting)
      reject(new Error(`bench server exited (${code}) before answering ${reply}`));
  });
  const ask = <T extends FromServer['type']>(request: ToServer | null, reply: T) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
      waiting.set(reply, { resolve: resolve as (message: FromServer) => void, reject });
      if (request) child.send(request);
    });

  const { port } = await ask(null, 'ready');
  return {
    liveUrl: `ws://127.0.0.1:${port}/api/v1/live`,
    answers,
    rssBytes: async () => (await ask({ type: 'rss' }, 'rss')).bytes,
    cpuSeconds: async () => (await ask({ type: 'cpu' }, 'cpu')).seconds,
    metrics: async () => (await ask({ type: 'metrics' }, 'metrics')).text,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' } satisfies ToServer);
      if (!(await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]))) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
