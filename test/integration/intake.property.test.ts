import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

/*
 * Any JSON value at any field of an otherwise valid notification is either
 * stored (2xx) or refused with the field named (4xx) and nothing written;
 * never a 5xx, which Alertmanager would retry forever (issue #13). Seeded and
 * bounded, so a run is the same every time and stays quick; a failure prints
 * the shrunk body.
 */

const t = useTestApp();

const SEED = 13;
const RUNS = 150;

// Code units a Postgres string cannot hold, or that JSON escapes, mixed with anything else.
const unit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udc00', '\ud83d\ude00', '\uFFFD', '"', '\\', '\n'),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('a', 'z', '0', ':', '{', '=', ' '),
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit, maxLength: 40 }) },
  // Past a btree entry's 2,704 bytes.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit, minLength: 1, maxLength: 3 }), fc.integer({ min: 2_700, max: 12_000 }))
      .map(([s, n]) => s.repeat(Math.ceil(n / s.length))),
  },
);

const pad = (n: number, width: number) => String(n).padStart(width, '0');
// RFC 3339 in full: years 0000–9999, any fraction, offsets up to ±23:59, plus days and seconds that do not exist.
const rfc3339 = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 99, 100, 9999)),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: '' }),
    offset: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (d) =>
      `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}` +
      `${d.fraction ? `.${d.fraction}` : ''}${d.offset}`,
  );
const date = fc.oneof(
  rfc3339,
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e308, -0),
);

const value = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: number },
  { weight: 2, arbitrary: date },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

type Body = Record<string, any>;
/** A value put at a path, or (`value` absent) the field there left out: plain data, so a counterexample reads as one. */
type Mutation = { at: (string | number)[]; value?: unknown };

const alertFields = ['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL', 'fingerprint'];
const topFields = [
  'version',
  'groupKey',
  'truncatedAlerts',
  'status',
  'receiver',
  'groupLabels',
  'commonLabels',
  'commonAnnotations',
  'externalURL',
  'alerts',
];
const labelSets = ['groupLabels', 'commonLabels', 'commonAnnotations'];
const labelName = fc.oneof(fc.constantFrom('alertname', 'severity', 'summary', 'instance', '__proto__'), text);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Any value for a top-level field, or for a field of an alert.
  fc.record({ at: fc.tuple(fc.constantFrom(...topFields)), value }),
  fc.record({ at: fc.tuple(fc.constant('alerts'), fc.nat(1), fc.constantFrom(...alertFields)), value }),
  // Any name and value inside a label set or annotations, of an alert or of the group.
  fc.record({
    at: fc.tuple(fc.constant('alerts'), fc.nat(1), fc.constantFrom('labels', 'annotations'), labelName),
    value,
  }),
  fc.record({ at: fc.tuple(fc.constantFrom(...labelSets), labelName), value }),
  // A field left out.
  fc.record({ at: fc.tuple(fc.constantFrom(...topFields)) }),
  fc.record({ at: fc.tuple(fc.constant('alerts'), fc.nat(1), fc.constantFrom(...alertFields)) }),
);

function apply(body: Body, { at, value }: Mutation, hasValue: boolean): void {
  let owner: unknown = body;
  for (const step of at.slice(0, -1))
    owner = typeof owner === 'object' && owner !== null ? (owner as Body)[step] : undefined;
  // An earlier mutation may have replaced the object this one reaches into.
  if (typeof owner !== 'object' || owner === null) return;
  const key = at[at.length - 1]!;
  // defineProperty: a "__proto__" label is a key like any other, as JSON.parse makes it.
  if (hasValue) Object.defineProperty(owner, key, { value, enumerable: true, writable: true, configurable: true });
  else delete (owner as Body)[key];
}

let run = 0;

// A group and alerts of their own each run, so that each is new content that intake writes.
function validNotification(): Body {
  run += 1;
  const alerts = ['a', 'b'].map((instance) =>
    amAlert({ labels: { instance, run: String(run) }, fingerprint: `${run}${instance}` }),
  );
  return amNotification(alerts, { groupKey: `{}:{run="${run}"}` });
}

async function rowCounts(): Promise<string> {
  const [row] = rowsOf(
    await t().database.db.execute(sql`
      select (select count(*)::int from incidents) as incidents,
             (select count(*)::int from alerts) as alerts,
             (select count(*)::int from timeline_events) as events,
             (select coalesce(sum(deliveries), 0)::int from notifications) as deliveries`),
  );
  return JSON.stringify(row);
}

it('any value at any field: 2xx, or 4xx naming the field with nothing written; never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
      const body = validNotification();
      for (const m of mutations) apply(body, m, 'value' in m);
      const before = await rowCounts();
      const res = await t().hook(body);
      const answer = (await res.json()) as { error?: { field?: string } };
      expect(res.status, JSON.stringify(answer)).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.status).toBe(400);
        expect(answer.error?.field, JSON.stringify(answer)).toEqual(expect.any(String));
        expect(await rowCounts()).toBe(before);
      } else {
        expect(res.status).toBe(200);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
