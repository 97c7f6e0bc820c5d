import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Figure } from '../../src/domain/reports/figure.js';
import type { WeeklyReport } from '../../src/domain/reports/model.js';
import { useTestApp } from '../support/app.js';
import { buildDstWeekHistory, historyGenerator } from '../support/history-generator.js';

const history = historyGenerator();
const app = useTestApp(history.deps);
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

type Row = Record<string, any>;

/** Every figure of the report, with where it sits. */
function figures(node: unknown, path = ''): [string, Figure][] {
  if (Array.isArray(node)) return node.flatMap((x, i) => figures(x, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  if (typeof o.query === 'string' && typeof o.recount === 'string') return [[path, o as unknown as Figure]];
  return Object.entries(o).flatMap(([k, v]) => figures(v, path ? `${path}.${k}` : k));
}

/** Every row the query lists, following cursors. */
async function fetchAll(query: string): Promise<Row[]> {
  const rows: Row[] = [];
  let next: string | null = query.replace(/^\/api\/v1/, '');
  while (next) {
    const res = await app().api(next);
    expect(res.status, `${next}: ${await res.clone().text()}`).toBe(200);
    const body = (await res.json()) as Row;
    const list = (body.incidents ?? body.occurrences ?? body.notifications ?? body.steps ?? body.versions) as Row[];
    rows.push(...list);
    const url: URL = new URL(next, 'http://x');
    if (body.nextCursor) url.searchParams.set('cursor', body.nextCursor);
    next = body.nextCursor ? `${url.pathname}${url.search}` : null;
  }
  return rows;
}

const seconds = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 1000;

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low]! + (rank - low) * ((sorted[Math.ceil(rank)] ?? sorted[low]!) - sorted[low]!);
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

async function recount(f: Figure, period: WeeklyReport['period']): Promise<number | null> {
  const rows = await fetchAll(f.query);
  const durations = (kind: string) =>
    rows.map((r) => seconds(kind === 'acknowledge' ? r.acknowledgedAt : r.resolvedAt, r.startedAt));
  const [stat, of] = f.recount.split(':');
  switch (stat) {
    case 'count':
      return rows.length;
    case 'duplicates':
      return rows.reduce((n, r) => n + r.deliveries - 1, 0);
    case 'median':
      return percentile(durations(of!), 0.5);
    case 'p90':
      return percentile(durations(of!), 0.9);
    case 'mean':
      return mean(durations(of!));
    case 'max-in-24h': {
      const starts = rows.map((r) => Date.parse(r.startsAt)).sort((a, b) => a - b);
      return Math.max(0, ...starts.map((s) => starts.filter((t) => t <= s && t > s - 86_400_000).length));
    }
    case 'flapping': {
      const byFingerprint = new Map<string, Row[]>();
      for (const r of rows) byFingerprint.set(r.fingerprint, [...(byFingerprint.get(r.fingerprint) ?? []), r]);
      return [...byFingerprint.values()].filter((list) => {
        const starts = list.map((r) => Date.parse(r.startsAt));
        const most = Math.max(...starts.map((s) => starts.filter((t) => t <= s && t > s - 86_400_000).length));
        const allShort = list.every((r) => r.endsAt && seconds(r.endsAt, r.startsAt) < 300);
        return most >= 3 || (list.length >= 2 && allShort);
      }).length;
    }
    case 'short-episodes':
      return rows.filter((r) => r.endsAt && seconds(r.endsAt, r.startsAt) < 300).length;
    case 'share': {
      const whole = (await fetchAll(f.denominator!)).length;
      return whole === 0 ? null : rows.length / whole;
    }
    case 'versions':
      return rows.filter((r) => r.firstSeenAt >= period.from && r.firstSeenAt < period.to).length;
    default:
      throw new Error(`unknown recount ${f.recount}`);
  }
}

describe('every figure of the report recounts from its query', () => {
  it('walks every query link of the DST week and gets every number back', async () => {
    await buildDstWeekHistory(history);
    const res = await app().api('/reports/weekly?week=2026-W43&tz=Europe/Berlin');
    const report = (await res.json()) as WeeklyReport;
    const all = figures(report);
    // Every section contributes (a walk that finds nothing proves nothing).
    for (const section of ['volume.', 'response.', 'noise.', 'runbooks.']) {
      expect(all.filter(([path]) => path.startsWith(section)).length, section).toBeGreaterThan(3);
    }
    const mismatches: string[] = [];
    for (const [path, f] of all) {
      const value = await recount(f, report.period);
      const same = value === null || f.value === null ? value === f.value : Math.abs(value - f.value) < 1e-6;
      if (!same) mismatches.push(`${path}: report ${f.value}, recount ${value} (${f.query})`);
    }
    expect(mismatches).toEqual([]);
    expect(all.length).toBeGreaterThan(150);
  });
});
