import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';

/** Debian's name for the binary; upstream tarballs call it `alertmanager`. */
const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface AlertToPost {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: Date;
  /** In the past: the alert is resolved. Omitted: firing until Alertmanager's resolve_timeout. */
  endsAt?: Date;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  url: string;
  /** POST /api/v2/alerts, the way Prometheus hands alerts over. */
  postAlerts(alerts: AlertToPost[]): Promise<void>;
  /** Everything it logged so far (it logs to stderr), for failure messages. */
  logs(): string;
  /** Kills it and removes its storage; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A real Alertmanager on loopback with a single webhook receiver and timings
 * short enough for tests: first notification 1 s after an alert arrives, a
 * resolved or re-tried one within 2 s. Gossip is off, storage is a temp dir.
 */
export async function startAlertmanager(options: { webhookUrl: string; webhookToken: string }): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-am-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(
    configFile,
    stringify({
      route: {
        receiver: 'alertbook',
        group_by: ['alertname'],
        group_wait: '1s',
        group_interval: '2s',
        repeat_interval: '1h',
      },
      receivers: [
        {
          name: 'alertbook',
          webhook_configs: [
            {
              url: options.webhookUrl,
              send_resolved: true,
              http_config: { authorization: { credentials: options.webhookToken } },
            },
          ],
        },
      ],
    }),
  );

  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
  });
  // A crashed test runner must not leave it behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(url, exited);
  } catch (error) {
    await close();
    throw new Error(`Alertmanager (${ALERTMANAGER_BIN}) did not become ready: ${(error as Error).message}\n${stderr}`);
  }

  return {
    url,
    async postAlerts(alerts) {
      const body = alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations ?? {},
        startsAt: a.startsAt.toISOString(),
        ...(a.endsAt ? { endsAt: a.endsAt.toISOString() } : {}),
        ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      }));
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${url}/api/v2/alerts: ${res.status} ${await res.text()}`);
    },
    logs: () => stderr,
    close,
  };
}

async function waitUntilReady(url: string, exited: Promise<string>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  while (Date.now() < deadline) {
    if (exitReason) throw new Error(exitReason);
    const ready = await fetch(`${url}/-/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`no 200 from ${url}/-/ready within ${READY_TIMEOUT_MS} ms`);
}

/** Asks the kernel for a free port; Alertmanager needs a number up front, not port 0. */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
