import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { EarlierIncidents } from '../../src/domain/incidents/earlier-incidents.js';
import { useTestApp } from '../support/app.js';
import { historyGenerator } from '../support/history-generator.js';

const history = historyGenerator();
const app = useTestApp(history.deps);
beforeEach(() => history.attach(app()));
afterAll(() => history.cleanup());

async function earlier(id: number): Promise<EarlierIncidents> {
  const res = await app().api(`/incidents/${id}/earlier`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as EarlierIncidents;
}

/** DiskFull on db-0 fires at `hour`:00 on 2 Nov 2026 and, unless `open`, resolves half an hour later: one incident. */
async function episode(hour: number, open = false): Promise<number> {
  const at = (minute: number) => `2026-11-02T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`;
  const ref = { alertname: 'DiskFull', instance: 'db-0', startsAt: at(0) };
  const [id] = await history.fire(at(1), ref);
  if (!open) await history.resolve(at(31), ref, at(30));
  return id!;
}

describe('GET /incidents/:id/earlier ("has this fired before, and what did we do?")', () => {
  it('lists the earlier incidents of the alertname, newest first, each with its last note as it reads now', async () => {
    const first = await episode(1);
    await history.note('2026-11-02T01:10:00Z', first, 'restarted the exporter', 'alice');
    const cleaned = (await history.note('2026-11-02T01:20:00Z', first, 'cleaned /var/log', 'bob')) as { id: number };
    const edit = await app().api(`/incidents/${first}/notes/${cleaned.id}`, {
      method: 'PUT',
      json: { text: 'cleaned /var/log and rotated the logs' },
      as: 'bob',
    });
    expect(edit.status).toBe(200);

    const second = await episode(2, true);
    await history.note('2026-11-02T02:10:00Z', second, 'it was the backup job', 'alice');
    const wrong = (await history.note('2026-11-02T02:12:00Z', second, 'wrong incident', 'alice')) as { id: number };
    expect((await app().api(`/incidents/${second}/notes/${wrong.id}`, { method: 'DELETE', as: 'alice' })).status).toBe(
      200,
    );
    await history.resolveByHand('2026-11-02T02:20:00Z', second);

    const third = await episode(3); // no note
    await history.fire('2026-11-02T03:40:00Z', {
      alertname: 'CPUHigh',
      instance: 'db-0',
      startsAt: '2026-11-02T03:40:00Z',
    });
    const now = await episode(4, true);
    await episode(5); // later: not "earlier"
    await history.ack('2026-11-02T04:05:00Z', now);

    const answer = await earlier(now);
    expect(answer.alertname).toBe('DiskFull');
    expect(answer.total).toBe(3);
    expect(answer.incidents.map((i) => [i.id, i.lastNote?.text ?? null, i.lastNote?.actor ?? null])).toEqual([
      [third, null, null],
      [second, 'it was the backup job', 'alice'], // the later note was deleted
      [first, 'cleaned /var/log and rotated the logs', 'bob'], // as edited
    ]);
    expect(answer.incidents[1]).toMatchObject({
      status: 'resolved',
      startedAt: '2026-11-02T02:00:00.000Z',
      resolvedBy: 'bob',
      lastNote: { at: '2026-11-02T02:10:00.000Z' },
    });
    expect((await earlier(first)).incidents).toEqual([]);
  });

  it('shows the 5 most recent and counts them all', async () => {
    for (let hour = 1; hour <= 7; hour++) await episode(hour);
    const latest = await episode(8, true);
    const answer = await earlier(latest);
    expect(answer.total).toBe(7);
    expect(answer.incidents.map((i) => i.startedAt.slice(11, 13))).toEqual(['07', '06', '05', '04', '03']);
  });

  it('is a 404 for an unknown incident and a 400 naming the id for a bad one', async () => {
    expect((await app().api('/incidents/999/earlier')).status).toBe(404);
    const bad = await app().api('/incidents/abc/earlier');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('id');
  });
});
