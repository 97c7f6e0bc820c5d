// ALERTBOOK_RETENTION: the delivery log goes, in batches; what people read stays.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { pruneDeliveryLog } from '../../src/domain/retention/prune-delivery-log.js';
import { deliver, getIncident } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const t = useTestApp();

async function count(table: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await t().database.db.execute(sql`select count(*)::int as n from ${sql.raw(table)}`),
  );
  return row!.n;
}

describe('pruning the delivery log', () => {
  it('deletes the notifications last received before the cutoff, batch by batch, and keeps incidents, alerts and timelines', async () => {
    for (const alertname of ['Old1', 'Old2', 'Old3', 'Recent']) {
      await deliver(t(), amNotification([amAlert({ alertname })]));
    }
    await t().database.db.execute(
      sql`update notifications set last_received_at = now() - interval '100 days' where group_key not like '%Recent%'`,
    );
    const before = { alerts: await count('alerts'), timeline: await count('timeline_events') };

    expect(await pruneDeliveryLog(t().database.db, new Date(Date.now() - 90 * 86_400_000), 2)).toBe(3);

    expect(
      rowsOf<{ groupKey: string }>(
        await t().database.db.execute(sql`select group_key as "groupKey" from notifications`),
      ),
    ).toEqual([{ groupKey: '{}:{alertname="Recent"}' }]);
    expect(await count('incidents')).toBe(4);
    expect({ alerts: await count('alerts'), timeline: await count('timeline_events') }).toEqual(before);
    expect((await getIncident(t(), 1)).timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.firing']);
    // Nothing older is left: a second run deletes nothing.
    expect(await pruneDeliveryLog(t().database.db, new Date(Date.now() - 90 * 86_400_000), 2)).toBe(0);
  });
});
