// Two Alertbook replicas on one Postgres, an HA pair of real Alertmanagers (each posting to a different
// replica), a real Prometheus firing and resolving rules: nothing duplicated, nothing lost when a replica dies.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { startAlertbookProcess, type AlertbookProcess } from '../support/alertbook-process.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

const WEBHOOK_TOKEN = 'ha-webhook-token';
const TEAMS = 10;
const TARGETS_PER_TEAM = 20;
// Waits are for conditions; these only bound them, generously (2 cores shared by many test runs).
const DEADLINE = { timeout: 240_000, interval: 500 };

/** One series per target (200 in all), in groups of 20 per team; a value of 1 makes its alert fire. */
const targets = Array.from({ length: TEAMS * TARGETS_PER_TEAM }, (_, i) => ({
  team: `team${i % TEAMS}`,
  target: `t${String(i).padStart(3, '0')}`,
}));
const firing = new Set<string>();

function metricsText(): string {
  return targets
    .map(({ team, target }) => `storm_down{team="${team}",target="${target}"} ${firing.has(team) ? 1 : 0}`)
    .join('\n')
    .concat('\n');
}

const RULES = `groups:
  - name: storm
    rules:
      - alert: StormTargetDown
        expr: storm_down > 0
        labels: { severity: page }
        annotations: { summary: '{{ $labels.target }} of {{ $labels.team }} is down' }
`;

// One cell: resolving an incident snapshots it, so "one snapshot per resolve" is one cell.snapshot row.
const RUNBOOK = `---
id: storm-target-down
title: Storm target down
alerts: [StormTargetDown]
---

# Storm target down

\`\`\`promql title="Down targets" instant
storm_down{team="{{ $labels.team }}"}
\`\`\`
`;

let database: TestDatabase;
let runbooksDir: string;
let a: AlertbookProcess;
let b: AlertbookProcess;
let amA: RunningAlertmanager;
let amB: RunningAlertmanager;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  database = await createTestDatabase();
  runbooksDir = await mkdtemp(join(tmpdir(), 'alertbook-ha-runbooks-'));
  await writeFile(join(runbooksDir, 'storm-target-down.md'), RUNBOOK);
  prometheus = await startPrometheus({ metrics: metricsText(), rules: RULES });
  const env = {
    ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    RUNBOOKS_DIR: runbooksDir,
    PROMETHEUS_URL: prometheus.url,
  };
  // One after the other: the first builds the notebook bundle the second then finds.
  a = await startAlertbookProcess(database, env);
  b = await startAlertbookProcess(database, env);
  // The HA pair: B joins A's gossip. A short peer timeout: the second member notifies 2 s after the first unless the
  // gossiped notification log says the first succeeded; so both often deliver (duplicates Alertbook must absorb).
  const member = (replica: AlertbookProcess, peers: string[]) =>
    startAlertmanager({
      webhookUrl: `${replica.origin}/hooks/alertmanager`,
      webhookToken: WEBHOOK_TOKEN,
      groupBy: ['alertname', 'team'],
      cluster: { peers, peerTimeout: '2s' },
    });
  amA = await member(a, []);
  amB = await member(b, [await amA.gossipAddress()]);
  // The pair is formed once each member knows both.
  await vi.waitFor(async () => {
    expect([(await clusterOf(amA)).peers.length, (await clusterOf(amB)).peers.length]).toEqual([2, 2]);
  }, 20_000);
  // Prometheus alerts to both, as to any HA pair.
  await prometheus.setAlertmanagers([amA.url, amB.url]);
}, 400_000);

afterAll(async () => {
  await prometheus?.close();
  await amA?.close();
  await amB?.close();
  await a?.stop();
  await b?.stop();
  await database?.destroy();
  if (runbooksDir) await rm(runbooksDir, { recursive: true, force: true });
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await database.db.execute(query)) as unknown as T[];
}

async function storedAlerts(): Promise<{ firing: number; resolved: number; fingerprints: number; rows: number }> {
  const [row] = await rows<{ firing: string; resolved: string; fingerprints: string; rows: string }>(sql`
    select count(*) filter (where status = 'firing') as firing,
           count(*) filter (where status = 'resolved') as resolved,
           count(distinct fingerprint) as fingerprints,
           count(*) as rows
      from alerts`);
  return {
    firing: Number(row!.firing),
    resolved: Number(row!.resolved),
    fingerprints: Number(row!.fingerprints),
    rows: Number(row!.rows),
  };
}

/** Per incident of the teams: its group, status, alerts, and how many times each event happened on its timeline. */
async function incidentsOf(teams: string[]) {
  const found = await rows<{
    group_key: string;
    status: string;
    alerts: string;
    opened: string;
    resolved: string;
    fired: string;
    snapshots: string;
  }>(sql`
    select i.group_key, i.status,
           (select count(*) from alerts al where al.incident_id = i.id) as alerts,
           count(*) filter (where t.type = 'incident.opened') as opened,
           count(*) filter (where t.type = 'incident.resolved') as resolved,
           coalesce(sum((t.data->>'count')::int) filter (where t.type = 'alert.firing'), 0) as fired,
           count(*) filter (where t.type in ('cell.snapshot', 'cell.snapshot_failed')) as snapshots
      from incidents i join timeline_events t on t.incident_id = i.id
     group by i.id
     order by i.group_key`);
  return found
    .map((r) => ({
      team: /team="(team\d+)"/.exec(r.group_key)?.[1] ?? r.group_key,
      status: r.status,
      alerts: Number(r.alerts),
      opened: Number(r.opened),
      resolved: Number(r.resolved),
      fired: Number(r.fired),
      snapshots: Number(r.snapshots),
    }))
    .filter((i) => teams.includes(i.team));
}

/** What a group episode that fired and resolved once leaves behind: one incident, each thing once. */
function oneResolvedEpisodeEach(teams: string[]) {
  return teams.map((team) => ({
    team,
    status: 'resolved',
    alerts: TARGETS_PER_TEAM,
    opened: 1,
    resolved: 1,
    fired: TARGETS_PER_TEAM,
    snapshots: 1,
  }));
}

const teamNames = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `team${from + i}`);

describe('two replicas behind an HA pair of Alertmanagers, a real Prometheus in front', () => {
  it('stores each group episode once, snapshots each resolve once, and loses nothing when a replica is killed mid-storm', async () => {
    onTestFailed(() =>
      console.error(
        `--- Alertmanager A ---\n${amA.logs().slice(-4_000)}\n--- Alertmanager B ---\n${amB.logs().slice(-4_000)}` +
          `\n--- replica A ---\n${a.logs().slice(-3_000)}\n--- replica B ---\n${b.logs().slice(-3_000)}`,
      ),
    );
    const firstHalf = teamNames(0, TEAMS / 2);
    const secondHalf = teamNames(TEAMS / 2, TEAMS);

    // 1. Both replicas up: half the teams' targets go down, then come back.
    for (const team of firstHalf) firing.add(team);
    prometheus.setMetrics(metricsText());
    await vi.waitFor(async () => expect((await storedAlerts()).firing).toBe(100), DEADLINE);
    for (const team of firstHalf) firing.delete(team);
    prometheus.setMetrics(metricsText());
    await vi.waitFor(async () => {
      expect(await incidentsOf(firstHalf)).toEqual(oneResolvedEpisodeEach(firstHalf));
      // Every snapshot-on-resolve row was done and deleted, by whichever replica claimed it.
      expect(await rows(sql`select 1 from outbox where kind = 'snapshot-on-resolve'`)).toEqual([]);
    }, DEADLINE);

    // 2. The storm. The replica killed is the one the pair's first member posts to: members notify in the order of
    // their sorted cluster names, the second only what the first has not logged as sent after its peer timeout.
    const first = (await clusterOf(amA)).name < (await clusterOf(amB)).name ? amA : amB;
    const victim = first === amA ? a : b;
    // One more team goes down; once it is stored, the other four go down and the victim is killed at that very
    // moment, while their notifications are being grouped, sent or stored.
    const [firstOfStorm, ...restOfStorm] = secondHalf;
    firing.add(firstOfStorm!);
    prometheus.setMetrics(metricsText());
    await vi.waitFor(async () => expect((await storedAlerts()).firing).toBe(TARGETS_PER_TEAM), DEADLINE);
    for (const team of restOfStorm) firing.add(team);
    prometheus.setMetrics(metricsText());
    process.kill(-victim.pid, 'SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    // Why no load balancer or second webhook URL is needed: the first member's deliveries to the dead replica fail,
    // so its notification log, gossiped to the second, never says they were sent; the second, after its peer
    // timeout, delivers them to the replica it posts to. That is the HA pair's own failover, each member posting to
    // one replica as deployed.
    await vi.waitFor(async () => expect(await storedAlerts()).toMatchObject({ firing: 100, rows: 200 }), DEADLINE);
    expect(first.logs()).toMatch(/Notify for alerts failed|Notify attempt failed/);

    // 3. The storm ends; the surviving replica alone resolves and snapshots.
    for (const team of secondHalf) firing.delete(team);
    prometheus.setMetrics(metricsText());
    await vi.waitFor(async () => {
      expect(await incidentsOf(secondHalf)).toEqual(oneResolvedEpisodeEach(secondHalf));
      expect(await rows(sql`select 1 from outbox where kind = 'snapshot-on-resolve'`)).toEqual([]);
    }, DEADLINE);

    // Every alert Prometheus fired is stored exactly once, and resolved.
    expect(await storedAlerts()).toEqual({ firing: 0, resolved: 200, fingerprints: 200, rows: 200 });
    expect(await incidentsOf(teamNames(0, TEAMS))).toHaveLength(TEAMS);

    // A group's next episode (the same targets down again, with new startsAt) is a new incident, opened once.
    firing.add('team0');
    prometheus.setMetrics(metricsText());
    await vi.waitFor(async () => {
      const episodes = await incidentsOf(['team0']);
      expect(episodes.map((e) => e.status).sort()).toEqual(['firing', 'resolved']);
      expect(episodes.find((e) => e.status === 'firing')).toMatchObject({
        alerts: TARGETS_PER_TEAM,
        opened: 1,
        fired: TARGETS_PER_TEAM,
      });
    }, DEADLINE);
  }, 900_000);
});

/** The member's name in the gossip cluster (a ULID chosen at start), and the members it knows (itself included). */
async function clusterOf(alertmanager: RunningAlertmanager): Promise<{ name: string; peers: { name: string }[] }> {
  const res = await fetch(`${alertmanager.url}/api/v2/status`);
  return ((await res.json()) as { cluster: { name: string; peers: { name: string }[] } }).cluster;
}
