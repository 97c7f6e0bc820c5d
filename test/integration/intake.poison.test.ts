import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { getIncident, listIncidents, type IncidentDetail } from '../support/api.js';
import { useTestApp, WEBHOOK_TOKEN } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

/*
 * Values a real Alertmanager can send (or that RFC 3339 and JSON allow) but
 * that Postgres cannot hold as they are. Each once made the whole notification
 * a 500, which Alertmanager retries forever while every sibling alert stays
 * unstored (issue #13). The README's webhook section states what each kind
 * gets; this table is that statement, case by case.
 */

const t = useTestApp();

type Body = ReturnType<typeof amNotification> & Record<string, any>;
type Detail = IncidentDetail & { incident: IncidentDetail['incident'] & Record<string, any> };

// Three alerts; the poison goes into the last one, so keeping its siblings is checked too.
function notification(): Body {
  const alerts = ['a', 'b', 'c'].map((instance) => amAlert({ labels: { instance } }));
  return amNotification(alerts) as Body;
}

const poisoned = (detail: Detail) =>
  detail.alerts.find((a) => a.labels.instance === 'c') as Detail['alerts'][number] & Record<string, any>;

interface StoredCase {
  what: string;
  poison(body: Body): void;
  /** The value as stored, read back through the API. */
  stored(detail: Detail): unknown;
  expected: unknown;
  /** The field path reported in the answer's `adjusted` list; none when the value is stored as sent. */
  adjusted?: string;
}

const NUL = 'a\u0000b';
const REPLACED = 'a\uFFFDb';
const unstorableCharacters: [string, string][] = [
  ['NUL', NUL],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
];

function characterCases(name: string, value: string): StoredCase[] {
  return [
    {
      what: `${name} in a label value`,
      poison: (b) => (b.alerts[2].labels.x = value),
      stored: (d) => poisoned(d).labels.x,
      expected: REPLACED,
      adjusted: 'alerts[2].labels.x',
    },
    {
      what: `${name} in a label name`,
      poison: (b) => (b.alerts[2].labels[value] = 'v'),
      stored: (d) => poisoned(d).labels[REPLACED],
      expected: 'v',
      adjusted: `alerts[2].labels.${value}`,
    },
    {
      what: `${name} in an annotation value`,
      poison: (b) => (b.alerts[2].annotations.description = value),
      stored: (d) => poisoned(d).annotations.description,
      expected: REPLACED,
      adjusted: 'alerts[2].annotations.description',
    },
    {
      what: `${name} in an annotation name`,
      poison: (b) => (b.alerts[2].annotations[value] = 'v'),
      stored: (d) => poisoned(d).annotations[REPLACED],
      expected: 'v',
      adjusted: `alerts[2].annotations.${value}`,
    },
    {
      what: `${name} in generatorURL`,
      poison: (b) => (b.alerts[2].generatorURL = value),
      stored: (d) => poisoned(d).generatorURL,
      expected: REPLACED,
      adjusted: 'alerts[2].generatorURL',
    },
    {
      what: `${name} in fingerprint`,
      poison: (b) => (b.alerts[2].fingerprint = value),
      stored: (d) => poisoned(d).fingerprint,
      expected: REPLACED,
      adjusted: 'alerts[2].fingerprint',
    },
    {
      what: `${name} in receiver`,
      poison: (b) => (b.receiver = value),
      stored: (d) => d.incident.receiver,
      expected: REPLACED,
      adjusted: 'receiver',
    },
    {
      what: `${name} in groupKey`,
      poison: (b) => (b.groupKey = value),
      stored: (d) => d.incident.groupKey,
      expected: REPLACED,
      adjusted: 'groupKey',
    },
    {
      what: `${name} in a groupLabels value`,
      poison: (b) => (b.groupLabels.alertname = value),
      stored: (d) => d.incident.groupLabels.alertname,
      expected: REPLACED,
      adjusted: 'groupLabels.alertname',
    },
    {
      what: `${name} in commonLabels.alertname`,
      poison: (b) => (b.commonLabels.alertname = value),
      stored: (d) => d.incident.alertname,
      expected: REPLACED,
      adjusted: 'commonLabels.alertname',
    },
    {
      what: `${name} in commonAnnotations.summary`,
      poison: (b) => (b.commonAnnotations.summary = value),
      stored: (d) => d.incident.title,
      expected: REPLACED,
      adjusted: 'commonAnnotations.summary',
    },
    {
      what: `${name} in externalURL`,
      poison: (b) => (b.externalURL = value),
      stored: (d) => d.incident.externalUrl,
      expected: REPLACED,
      adjusted: 'externalURL',
    },
  ];
}

const long = (bytes: number, tail = '') => 'k'.repeat(bytes) + tail;

const longKeyCases: StoredCase[] = [
  {
    what: 'a 3 KB groupKey',
    poison: (b) => (b.groupKey = long(3 * 1024)),
    stored: (d) => d.incident.groupKey,
    expected: long(3 * 1024),
  },
  {
    what: 'a 10 KB groupKey',
    poison: (b) => (b.groupKey = long(10 * 1024)),
    stored: (d) => d.incident.groupKey,
    expected: long(10 * 1024),
  },
  {
    what: 'a 5 KB receiver',
    poison: (b) => (b.receiver = long(5 * 1024)),
    stored: (d) => d.incident.receiver,
    expected: long(5 * 1024),
  },
  {
    what: '10 KB of groupLabels and no groupKey',
    poison: (b) => {
      delete b.groupKey;
      b.groupLabels.team = long(10 * 1024);
    },
    stored: (d) => d.incident.groupLabels.team,
    expected: long(10 * 1024),
  },
  {
    what: 'a 10 KB alertname',
    poison: (b) => {
      for (const alert of b.alerts) alert.labels.alertname = long(10 * 1024);
      b.commonLabels.alertname = long(10 * 1024);
    },
    stored: (d) => d.incident.alertname,
    expected: long(10 * 1024),
  },
  {
    what: 'a 10 KB fingerprint',
    poison: (b) => (b.alerts[2].fingerprint = long(10 * 1024)),
    stored: (d) => poisoned(d).fingerprint,
    expected: long(10 * 1024),
  },
  {
    what: 'a 10 KB label name',
    poison: (b) => (b.alerts[2].labels[long(10 * 1024)] = 'v'),
    stored: (d) => poisoned(d).labels[long(10 * 1024)],
    expected: 'v',
  },
];

// Instants outside the years 0100–9999, which every layer round-trips, are clamped (storable-values.ts).
const FIRST_STORABLE = '0100-01-01T00:00:00.000Z';
const LAST_STORABLE = '9999-12-31T23:59:59.999Z';
const dateCases: StoredCase[] = [
  {
    what: 'startsAt in year 0',
    poison: (b) => (b.alerts[2].startsAt = '0000-01-01T00:00:00Z'),
    stored: (d) => poisoned(d).startsAt,
    expected: FIRST_STORABLE,
    adjusted: 'alerts[2].startsAt',
  },
  {
    what: 'startsAt before year 1 by its offset',
    poison: (b) => (b.alerts[2].startsAt = '0001-01-01T00:00:00+14:00'),
    stored: (d) => poisoned(d).startsAt,
    expected: FIRST_STORABLE,
    adjusted: 'alerts[2].startsAt',
  },
  {
    what: "startsAt at Go's zero time, which was read back as 2001",
    poison: (b) => (b.alerts[2].startsAt = '0001-01-01T00:00:00Z'),
    stored: (d) => poisoned(d).startsAt,
    expected: FIRST_STORABLE,
    adjusted: 'alerts[2].startsAt',
  },
  {
    what: 'startsAt after year 9999 by its offset',
    poison: (b) => (b.alerts[2].startsAt = '9999-12-31T23:59:59-14:00'),
    stored: (d) => poisoned(d).startsAt,
    expected: LAST_STORABLE,
    adjusted: 'alerts[2].startsAt',
  },
  {
    what: 'endsAt after year 9999 by its offset',
    poison: (b) => (b.alerts[2].endsAt = '9999-12-31T23:59:59-14:00'),
    stored: (d) => poisoned(d).endsAt,
    expected: LAST_STORABLE,
    adjusted: 'alerts[2].endsAt',
  },
  // Go's zero time, or before it, is "not ended" whatever the offset.
  {
    what: 'endsAt before year 1',
    poison: (b) => (b.alerts[2].endsAt = '0000-01-01T00:00:00Z'),
    stored: (d) => poisoned(d).endsAt,
    expected: null,
  },
];

const storedCases = [
  ...unstorableCharacters.flatMap(([name, value]) => characterCases(name, value)),
  ...longKeyCases,
  ...dateCases,
];

async function rowCounts(): Promise<Record<string, number>> {
  const [row] = rowsOf<Record<string, number>>(
    await t().database.db.execute(sql`
      select (select count(*)::int from incidents) as incidents,
             (select count(*)::int from alerts) as alerts,
             (select count(*)::int from timeline_events) as events,
             (select count(*)::int from notifications) as notifications`),
  );
  return row!;
}

describe('a value Postgres cannot hold as sent is stored, and its siblings with it', () => {
  for (const c of storedCases) {
    it(c.what, async () => {
      const body = notification();
      c.poison(body);
      const res = await t().hook(body);
      const answer = (await res.json()) as Record<string, unknown>;
      expect(res.status, JSON.stringify(answer)).toBe(200);
      expect(answer).toMatchObject({ fresh: true, changed: 3, adjusted: c.adjusted ? [c.adjusted] : [] });
      const [incident] = await listIncidents(t());
      const detail = (await getIncident(t(), incident!.id)) as Detail;
      expect(detail.alerts).toHaveLength(3);
      expect(c.stored(detail)).toEqual(c.expected);

      // Its keys still tell a retry from new content.
      expect(await (await t().hook(body)).json()).toMatchObject({ fresh: false, changed: 0 });
    });
  }
});

describe('long keys are told apart by their whole value, not a prefix', () => {
  it('two 10 KB groupKeys that differ only in their last character are two groups', async () => {
    await t().hook(amNotification([amAlert()], { groupKey: long(10 * 1024, 'x') }));
    await t().hook(amNotification([amAlert()], { groupKey: long(10 * 1024, 'y') }));
    expect((await listIncidents(t())).map((i) => i.status)).toEqual(['firing', 'firing']);
  });

  it('two 10 KB fingerprints that differ only in their last character are two alerts', async () => {
    const res = await t().hook(
      amNotification([amAlert({ fingerprint: long(10 * 1024, 'x') }), amAlert({ fingerprint: long(10 * 1024, 'y') })]),
    );
    expect(await res.json()).toMatchObject({ changed: 2 });
  });

  it('a fingerprint with NUL is not the same alert as the one with U+FFFD in its place', async () => {
    const res = await t().hook(amNotification([amAlert({ fingerprint: NUL }), amAlert({ fingerprint: REPLACED })]));
    expect(await res.json()).toMatchObject({ changed: 2 });
  });
});

describe('keys stored before they were hashed', () => {
  it('still match after the migration: the open incident is joined and a retried alert lands once', async () => {
    const body = notification();
    const first = (await (await t().hook(body)).json()) as { incidents: number[] };
    // Put the keys back as the previous version wrote them, then run the migration that hashes them.
    const identity = `${body.receiver}\n${body.groupKey}`;
    const prefix = createHash('sha256').update(identity).digest('hex').slice(0, 16);
    await t().database.db.execute(sql`update incidents set group_identity = ${identity}`);
    for (const alert of body.alerts) {
      const oldKey = `${prefix}:${alert.fingerprint}:${Date.parse(alert.startsAt)}`;
      await t().database.db.execute(
        sql`update alerts set occurrence_key = ${oldKey} where fingerprint = ${alert.fingerprint}`,
      );
    }
    const migration = readFileSync(join(MIGRATIONS_DIR, '0002_hash-intake-keys.sql'), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint'))
      await t().database.db.execute(sql.raw(statement));

    body.alerts.push(amAlert({ labels: { instance: 'd' } }));
    const res = await t().hook(body);
    expect(await res.json()).toMatchObject({ changed: 1, incidents: first.incidents });
    expect(await rowCounts()).toMatchObject({ incidents: 1, alerts: 4 });
  });
});

describe('truncatedAlerts is any non-negative integer (Alertmanager sends a uint64)', () => {
  for (const sent of [2_147_483_648, 18_446_744_073_709_551_615]) {
    it(`${sent}: accepted, stored as the largest count the log holds, and the group is not judged resolved`, async () => {
      const body = notification();
      await t().hook(body);
      body.truncatedAlerts = sent;
      body.status = 'resolved';
      for (const alert of body.alerts) Object.assign(alert, { status: 'resolved', endsAt: '2026-11-22T07:45:00Z' });
      const res = await t().hook(body);
      expect(res.status, await res.clone().text()).toBe(200);
      const [row] = rowsOf<{ truncated: number }>(
        await t().database.db.execute(
          sql`select truncated_alerts as truncated from notifications where truncated_alerts > 0`,
        ),
      );
      expect(row!.truncated).toBe(2_147_483_647);
      // A truncated notification never settles an incident (README: Incidents).
      expect((await listIncidents(t())).map((i) => i.status)).toEqual(['firing']);
    });
  }
});

describe('a body that can never be stored is a 400 naming the field, and writes nothing', () => {
  const cases: [string, (b: Body) => void, string][] = [
    ['a negative truncatedAlerts', (b) => (b.truncatedAlerts = -1), 'truncatedAlerts'],
    ['a fractional truncatedAlerts', (b) => (b.truncatedAlerts = 1.5), 'truncatedAlerts'],
    ['a day that does not exist', (b) => (b.alerts[2].startsAt = '2026-02-30T00:00:00Z'), 'alerts[2].startsAt'],
    ['a leap second', (b) => (b.alerts[2].endsAt = '2026-12-31T23:59:60Z'), 'alerts[2].endsAt'],
  ];
  for (const [what, poison, field] of cases) {
    it(what, async () => {
      await t().hook(amNotification([amAlert({ alertname: 'Before' })]));
      const before = await rowCounts();
      const body = notification();
      poison(body);
      const res = await t().hook(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_input', field } });
      expect(await rowCounts()).toEqual(before);
    });
  }

  it('a body that is not valid UTF-8', async () => {
    const json = Buffer.from(JSON.stringify(notification()));
    const at = json.indexOf('"instance"');
    const bytes = Buffer.concat([json.subarray(0, at + 2), Buffer.from([0xc3, 0x28]), json.subarray(at + 2)]); // 0xc3 needs a continuation byte
    const res = await t().app.request('/hooks/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input', field: '(body)' } });
    expect(await rowCounts()).toEqual({ incidents: 0, alerts: 0, events: 0, notifications: 0 });
  });
});
