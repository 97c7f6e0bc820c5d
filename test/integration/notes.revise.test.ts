import { describe, expect, it, onTestFinished } from 'vitest';
import { deliver, getIncident } from '../support/api.js';
import { API_TOKENS, createTestApp, useTestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { amAlert, amNotification } from '../support/payloads.js';

const t = useTestApp();

async function incidentWithNote(text = 'first text'): Promise<{ id: number; noteId: number }> {
  await deliver(t(), amNotification([amAlert()]));
  const list = await t().api('/incidents');
  const id = ((await list.json()) as { incidents: { id: number }[] }).incidents[0]!.id;
  const note = await t().api(`/incidents/${id}/notes`, { method: 'POST', json: { text } });
  expect(note.status).toBe(201);
  return { id, noteId: ((await note.json()) as { id: number }).id };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; field?: string } }).error;

describe('editing and deleting your own notes', () => {
  it('appends note.edited with the new text, keeping the first text on the timeline, rendered as markdown', async () => {
    const { id, noteId } = await incidentWithNote();
    const res = await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'PUT', json: { text: 'second **text**' } });
    expect(res.status).toBe(200);
    const { timeline } = await getIncident(t(), id);
    const notes = timeline.filter((e) => e.type.startsWith('note.'));
    expect(notes.map((e) => [e.type, e.actor, e.data.text])).toEqual([
      ['note.added', 'alice', 'first text'],
      ['note.edited', 'alice', 'second **text**'],
    ]);
    expect(notes[1]!.data).toMatchObject({ noteId, html: expect.stringContaining('<strong>text</strong>') });
  });

  it('appends note.deleted naming the note; a second delete or an edit after it is a 409', async () => {
    const { id, noteId } = await incidentWithNote();
    expect((await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'DELETE' })).status).toBe(200);
    const again = await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    const edit = await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'PUT', json: { text: 'late' } });
    expect(edit.status).toBe(409);
    const { timeline } = await getIncident(t(), id);
    expect(timeline.filter((e) => e.type === 'note.deleted').map((e) => e.data)).toEqual([{ noteId }]);
  });

  it("refuses someone else's note with a 403 and writes nothing", async () => {
    const { id, noteId } = await incidentWithNote();
    const before = (await getIncident(t(), id)).timeline.length;
    const res = await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'DELETE', as: 'bob' });
    expect(res.status).toBe(403);
    expect((await getIncident(t(), id)).timeline).toHaveLength(before);
  });

  it('answers 404 for an event that is not a note of this incident, 400 for a bad id or empty text', async () => {
    const { id, noteId } = await incidentWithNote();
    const opened = (await getIncident(t(), id)).timeline.find((e) => e.type === 'incident.opened')!;
    expect((await t().api(`/incidents/${id}/notes/${opened.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t().api(`/incidents/${id + 1}/notes/${noteId}`, { method: 'DELETE' })).status).toBe(404);
    const badId = await t().api(`/incidents/${id}/notes/x1`, { method: 'DELETE' });
    expect([badId.status, (await errorOf(badId)).field]).toEqual([400, 'noteId']);
    const empty = await t().api(`/incidents/${id}/notes/${noteId}`, { method: 'PUT', json: { text: ' ' } });
    expect([empty.status, (await errorOf(empty)).field]).toEqual([400, 'text']);
  });
});

describe('GET /me', () => {
  it('names the actor the API records for this caller, and what the server offers', async () => {
    const res = await t().api('/me', { as: 'bob' });
    // No Alertmanager configured here: nothing to silence in; the webhook wants its token.
    expect(await res.json()).toEqual({ actor: 'bob', features: { silences: false, webhookToken: true } });
  });

  it('says when the webhook runs open, so the wiring steps leave out the credentials line', async () => {
    const open = await createTestApp(await createTestDatabase(), {
      config: { webhookToken: undefined, apiTokens: API_TOKENS, bodyLimit: 16 * 1024 * 1024 },
    });
    onTestFinished(() => open.close());
    const res = await open.api('/me', { as: 'bob' });
    expect(((await res.json()) as { features: { webhookToken: boolean } }).features.webhookToken).toBe(false);
  });
});
