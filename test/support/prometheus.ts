import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { startPeerOnAnyPort } from './peer-process.js';

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

export interface RunningPrometheus {
  url: string;
  /** The job name Prometheus scrapes the test's metrics endpoint as. */
  appJob: string;
  /** Replaces what the metrics endpoint serves (Prometheus text format); the next scrape picks it up. */
  setMetrics(text: string): void;
  /** Waits until an instant query returns at least one series, i.e. the data has been scraped. */
  waitForSeries(query: string, timeoutMs?: number): Promise<void>;
  /**
   * Points its alerting at these Alertmanagers (base URLs) through a file it watches, so they may start after it;
   * resolves once it uses exactly them.
   */
  setAlertmanagers(urls: string[], timeoutMs?: number): Promise<void>;
  /** Everything it logged so far, for failure messages. */
  logs(): string;
  /** Stops it and the metrics endpoint and removes its storage; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A real Prometheus on loopback scraping, every second, itself and a metrics
 * endpoint the test serves with node:http. Storage is a temp dir. With `rules`
 * (a rule file's YAML) it evaluates them every second and sends its alerts to
 * every Alertmanager named by `setAlertmanagers`, as it does to an HA pair.
 */
export async function startPrometheus(options: { metrics?: string; rules?: string } = {}): Promise<RunningPrometheus> {
  let metrics = options.metrics ?? '';
  const metricsServer = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(metrics);
  });
  await new Promise<void>((resolve, reject) => {
    metricsServer.once('error', reject);
    metricsServer.listen(0, '127.0.0.1', resolve);
  });
  const metricsPort = (metricsServer.address() as AddressInfo).port;
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-prometheus-'));
  const cleanUp = async () => {
    await new Promise<void>((resolve) => {
      metricsServer.close(() => resolve());
      metricsServer.closeAllConnections();
    });
    await rm(dir, { recursive: true, force: true });
  };

  const appJob = 'app';
  const configFile = join(dir, 'prometheus.yml');
  const rulesFile = join(dir, 'rules.yml');
  if (options.rules) await writeFile(rulesFile, options.rules);
  const alertmanagersFile = join(dir, 'alertmanagers.json');
  const writeAlertmanagers = (urls: string[]) =>
    writeFile(alertmanagersFile, JSON.stringify([{ targets: urls.map((u) => new URL(u).host) }]));
  await writeAlertmanagers([]);
  // Its own address is known once it listens (on a port the kernel picks): its self-scrape target is written then.
  const selfFile = join(dir, 'self.json');
  await writeFile(selfFile, '[]');
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      ...(options.rules ? { rule_files: [rulesFile] } : {}),
      alerting: { alertmanagers: [{ api_version: 'v2', file_sd_configs: [{ files: [alertmanagersFile] }] }] },
      scrape_configs: [
        { job_name: 'prometheus', file_sd_configs: [{ files: [selfFile] }] },
        { job_name: appJob, static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }] },
      ],
    }),
  );

  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
  ];
  const peer = await startPeerOnAnyPort(PROMETHEUS_BIN, args, {
    readyPath: '/-/ready',
    configure: (origin) => writeFile(selfFile, JSON.stringify([{ targets: [new URL(origin).host] }])),
  }).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  const url = peer.origin;

  return {
    url,
    appJob,
    setMetrics(text) {
      metrics = text;
    },
    async waitForSeries(query, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
        const body = (await res.json()) as { data?: { result?: unknown[] } };
        if (body.data?.result?.length) return;
        await sleep(200);
      }
      throw new Error(`no series for ${query} within ${timeoutMs} ms\n${peer.logs()}`);
    },
    async setAlertmanagers(urls, timeoutMs = 30_000) {
      await writeAlertmanagers(urls);
      const wanted = urls.map((u) => `${new URL(u).origin}/api/v2/alerts`).sort();
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const res = await fetch(`${url}/api/v1/alertmanagers`);
        const body = (await res.json()) as { data: { activeAlertmanagers: Array<{ url: string }> } };
        const active = body.data.activeAlertmanagers.map((a) => a.url).sort();
        if (JSON.stringify(active) === JSON.stringify(wanted)) return;
        await sleep(200);
      }
      throw new Error(
        `Prometheus did not take up Alertmanagers ${urls.join(', ')} within ${timeoutMs} ms\n${peer.logs()}`,
      );
    },
    logs: peer.logs,
    async close() {
      await peer.stop();
      await cleanUp();
    },
  };
}
