// Postgres text cannot hold U+0000. Before the fix, each of these answered 500
// (the database's "invalid byte sequence" error); now a 400 names the field.
import { describe, expect, it } from 'vitest';
import { deliver, getIncident } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const t = useTestApp();

async function firstIncident(): Promise<number> {
  await deliver(t(), amNotification([amAlert()]));
  const res = await t().api('/incidents');
  return ((await res.json()) as { incidents: { id: number }[] }).incidents[0]!.id;
}

describe('a NUL character in an API input', () => {
  it.each([
    ['a note', (id: number) => `/incidents/${id}/notes`, { text: 'a\u0000b' }, 'text'],
    ['a runbook link', (id: number) => `/incidents/${id}/runbook`, { runbookId: 'a\u0000' }, 'runbookId'],
    ['a nested field', (id: number) => `/incidents/${id}/notes`, { text: 'ok', extra: ['x', 'y\u0000'] }, 'extra[1]'],
  ])('in %s body is a 400 naming the field, and nothing is written', async (_what, path, json, field) => {
    const id = await firstIncident();
    const before = (await getIncident(t(), id)).timeline.length;
    const res = await t().api(path(id), { method: 'POST', json });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    expect((await getIncident(t(), id)).timeline).toHaveLength(before);
  });

  it.each([
    ['/incidents?alertname=a%00b', 'alertname'],
    ['/incidents?q=a%00b', 'q'],
    ['/runbooks/a/diff?from=a%00&to=b', 'from'],
    ['/reports/weekly?week=2026-W4%00', 'week'],
  ])('in the query %s is a 400 naming the parameter', async (path, field) => {
    const res = await t().api(path);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });

  it.each(['/runbooks/a%00b', '/runbooks/a%00b/versions', '/rules/a%00b'])('in the path %s is a 400', async (path) => {
    const res = await t().api(path);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('(path)');
  });
});
