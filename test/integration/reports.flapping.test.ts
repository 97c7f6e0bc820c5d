import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flappingFingerprints, type FlappingFingerprint } from '../../src/db/reports/report-queries.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * The flapping query against the definition, computed here the plain way
 * (every firing against every other), over histories made to sit on its
 * edges: firings exactly 24 h apart, on the same instant, on both sides of a
 * day boundary, before and after the period, short and open episodes.
 */

const HOUR = 3_600_000;
const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date(FROM.getTime() + 7 * 24 * HOUR);
const LIMITS = { shortEpisodeSeconds: 300, firingsIn24h: 3, shown: 20 };

interface Firing {
  fingerprint: string;
  alertname: string;
  startsAt: Date;
  endsAt: Date | null;
}

/** The definition, firing by firing; rows ordered as the report lists them. */
function expected(firings: Firing[], limits = LIMITS): Omit<FlappingFingerprint, 'flapping'>[] & { total?: number } {
  const inPeriod = firings.map((f, id) => ({ ...f, id })).filter((f) => f.startsAt >= FROM && f.startsAt < TO);
  const byFingerprint = new Map<string, typeof inPeriod>();
  for (const f of inPeriod) byFingerprint.set(f.fingerprint, [...(byFingerprint.get(f.fingerprint) ?? []), f]);
  const rows = [...byFingerprint].map(([fingerprint, list]) => {
    const times = list.map((f) => f.startsAt.getTime());
    const maxFiringsIn24h = Math.max(...times.map((t) => times.filter((u) => u <= t && u >= t - 24 * HOUR).length));
    const shortEpisodes = list.filter(
      (f) => f.endsAt !== null && f.endsAt.getTime() < f.startsAt.getTime() + limits.shortEpisodeSeconds * 1000,
    ).length;
    const firstId = Math.min(...list.map((f) => f.id));
    const alertname = list.find((f) => f.id === firstId)!.alertname;
    return { fingerprint, alertname, firings: list.length, maxFiringsIn24h, shortEpisodes, firstId };
  });
  const flapping = rows
    .filter((r) => r.maxFiringsIn24h >= limits.firingsIn24h || (r.firings >= 2 && r.shortEpisodes === r.firings))
    .sort((a, b) => b.firings - a.firings || a.firstId - b.firstId);
  const shown = flapping.slice(0, limits.shown).map(({ firstId, ...r }) => r);
  return Object.assign(shown, { total: flapping.length });
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Firings of `fingerprints` label sets, their starts on a coarse grid so that ties and exact 24 h gaps are common. */
function history(seed: number, fingerprints: number, firings: number): Firing[] {
  const next = random(seed);
  const grid = [HOUR / 2, 6 * HOUR, 24 * HOUR, 12 * HOUR];
  return Array.from({ length: firings }, () => {
    const n = Math.floor(next() ** 2 * fingerprints);
    const step = grid[Math.floor(next() * grid.length)]!;
    // From a day before the period to a day after it.
    const startsAt = new Date(FROM.getTime() - 24 * HOUR + Math.floor((next() * 9 * 24 * HOUR) / step) * step);
    const roll = next();
    const endsAt =
      roll < 0.2 ? null : new Date(startsAt.getTime() + (roll < 0.6 ? 299_000 : roll < 0.7 ? 300_000 : 3_600_000));
    return { fingerprint: `fp-${n}`, alertname: `Alert${n % 7}`, startsAt, endsAt };
  });
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(() => db.reset());

async function insert(firings: Firing[]): Promise<void> {
  await db.db.execute(sql`insert into incidents (id, group_identity, receiver, group_labels, status, title, started_at)
    overriding system value values (1, 'g', 'r', '{}', 'firing', 't', ${FROM.toISOString()}::timestamptz)`);
  // Ids in list order: the first firing of a fingerprint is its lowest id, as the report breaks ties.
  const values = firings.map(
    (
      f,
      i,
    ) => sql`(${i + 1}, 1, ${`k${i}`}, ${f.fingerprint}, 'firing', ${JSON.stringify({ alertname: f.alertname })}::jsonb, '{}'::jsonb,
      ${f.startsAt.toISOString()}::timestamptz, ${f.endsAt?.toISOString() ?? null}::timestamptz)`,
  );
  await db.db.execute(sql`insert into alerts (id, incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at)
    overriding system value values ${sql.join(values, sql`, `)}`);
}

async function actual(limits = LIMITS) {
  const rows = await flappingFingerprints(db.db, { from: FROM, to: TO }, limits);
  return Object.assign(
    rows.map(({ flapping, ...r }) => r),
    { total: rows[0]?.flapping ?? 0 },
  );
}

describe('flapping fingerprints against the definition', () => {
  it('edges: exactly 24 h apart, ties, a day boundary, outside the period, all-short pairs', async () => {
    const at = (hours: number, fingerprint: string, minutes = 60) => ({
      fingerprint,
      alertname: 'Edge',
      startsAt: new Date(FROM.getTime() + hours * HOUR),
      endsAt: new Date(FROM.getTime() + hours * HOUR + minutes * 60_000),
    });
    const firings = [
      // 3 within a closed 24 h: flaps.
      at(10, 'closed-24h'),
      at(20, 'closed-24h'),
      at(34, 'closed-24h'),
      // 24 h and a millisecond: does not.
      at(10, 'just-over'),
      at(20, 'just-over'),
      { ...at(34, 'just-over'), startsAt: new Date(FROM.getTime() + 34 * HOUR + 1) },
      // Three at one instant.
      at(50, 'tie'),
      at(50, 'tie'),
      at(50, 'tie'),
      // Two a day on adjacent days, never three within 24 h (01:00, 02:00, 02:30 and 03:00 next day, 04:00 after).
      at(1, 'spread'),
      at(2, 'spread'),
      at(26.5, 'spread'),
      at(27, 'spread'),
      at(52, 'spread'),
      // Two per day, the later pair within 24 h of one of the earlier: 23:00 day 1, 01:00, 22:00 day 2.
      at(23, 'across-midnight'),
      at(25, 'across-midnight'),
      at(46, 'across-midnight'),
      // Before the period: not looked at.
      at(-2, 'before'),
      at(1, 'before'),
      at(3, 'before', 1),
      // Two short episodes only: flaps; a short and an open one: does not.
      at(100, 'short', 4),
      at(160, 'short', 4),
      at(100, 'short-open', 4),
      { ...at(160, 'short-open'), endsAt: null },
    ];
    await insert(firings);
    const want = expected(firings);
    expect(want.map((r) => r.fingerprint).sort()).toEqual(['across-midnight', 'closed-24h', 'short', 'tie']);
    expect(await actual()).toEqual(want);
    expect((await actual()).total).toBe(4);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`random history ${seed}: every flapping fingerprint counted, the most firing listed with their figures`, async () => {
      const firings = history(seed, 120, 900);
      await insert(firings);
      const limits = { ...LIMITS, shown: 1000 };
      expect(await actual(limits)).toEqual(expected(firings, limits));
      expect(await actual()).toEqual(expected(firings));
    });
  }
});
