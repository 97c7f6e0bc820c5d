import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { alertbookReceiver } from '../../src/alertmanager/alertbook-receiver.js';
import { startPeerOnAnyPort, type PeerProcess } from './peer-process.js';

/** Debian's name for the binary; upstream tarballs call it `alertmanager`. */
const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

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
  /** `127.0.0.1:<port>` it gossips on, for the next member's `peers` (from its own status: the port is the kernel's pick). */
  gossipAddress(): Promise<string>;
  /** Stops it and removes its storage; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Gossip with the other members of an HA pair (or larger cluster), on loopback. Each member gossips on a port the
 * kernel picks when it binds (`127.0.0.1:0`), so no port is taken beforehand for another process to grab first; a
 * member joins the cluster through the `gossipAddress()` of one started before it (memberlist then tells every member
 * of every other).
 */
export interface AlertmanagerCluster {
  /** The `gossipAddress()` of members already running; empty for the first. */
  peers: string[];
  /**
   * How long the member at position n waits (× n) before notifying, to see in the
   * gossiped notification log whether an earlier one already did (default 15 s).
   */
  peerTimeout?: string;
}

/**
 * A real Alertmanager on loopback with a single webhook receiver and timings
 * short enough for tests: first notification 1 s after an alert arrives, a
 * resolved or re-tried one within 2 s. Gossip is off unless `cluster` is given;
 * storage is a temp dir. `groupBy` defaults to `[alertname]`.
 */
export async function startAlertmanager(options: {
  webhookUrl: string;
  webhookToken: string;
  /** Overrides of the route's timings (Alertmanager durations like `1s`), e.g. to see repeats within seconds. */
  timings?: { groupWait?: string; groupInterval?: string; repeatInterval?: string };
  groupBy?: string[];
  cluster?: AlertmanagerCluster;
}): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-am-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(
    configFile,
    stringify({
      route: {
        receiver: 'alertbook',
        group_by: options.groupBy ?? ['alertname'],
        group_wait: options.timings?.groupWait ?? '1s',
        group_interval: options.timings?.groupInterval ?? '2s',
        repeat_interval: options.timings?.repeatInterval ?? '1h',
      },
      receivers: [alertbookReceiver(options)],
    }),
  );

  let peer: PeerProcess & { origin: string };
  try {
    peer = await startPeerOnAnyPort(
      ALERTMANAGER_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.path=${join(dir, 'data')}`,
        '--web.listen-address=127.0.0.1:0',
        ...clusterFlags(options.cluster),
        '--log.level=debug',
      ],
      { readyPath: '/-/ready' },
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = peer.origin;
  const close = async () => {
    await peer.stop();
    await rm(dir, { recursive: true, force: true });
  };

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
    logs: () => peer.logs(),
    async gossipAddress() {
      const res = await fetch(`${url}/api/v2/status`);
      const { cluster } = (await res.json()) as {
        cluster: { name: string; peers: { name: string; address: string }[] };
      };
      const self = cluster.peers.find((p) => p.name === cluster.name);
      if (!self) throw new Error(`${url}: not gossiping (status names no peer ${cluster.name})`);
      return self.address;
    },
    close,
  };
}

function clusterFlags(cluster: AlertmanagerCluster | undefined): string[] {
  if (!cluster) return ['--cluster.listen-address='];
  return [
    '--cluster.listen-address=127.0.0.1:0',
    ...cluster.peers.map((peer) => `--cluster.peer=${peer}`),
    // Loopback gossip settles in a few rounds; the defaults are tuned for networks (200 ms, 1 min).
    '--cluster.gossip-interval=100ms',
    '--cluster.pushpull-interval=2s',
    '--cluster.settle-timeout=5s',
    `--cluster.peer-timeout=${cluster.peerTimeout ?? '15s'}`,
  ];
}
