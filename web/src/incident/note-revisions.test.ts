import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types.js';
import { noteStates } from './note-revisions.js';

const event = (
  id: number,
  type: string,
  data: Record<string, unknown>,
  at = '2026-11-22T07:00:00Z',
): TimelineEvent => ({
  id,
  type,
  at,
  actor: 'ana',
  data,
});

describe('noteStates', () => {
  it('shows the latest text of an edited note and marks a deleted one, each note on its own', () => {
    const notes = noteStates([
      event(1, 'note.added', { text: 'one', html: '<p>one</p>' }),
      event(2, 'note.added', { text: 'two' }),
      event(3, 'note.edited', { noteId: 1, text: 'one, again', html: '<p>one, again</p>' }, '2026-11-22T07:05:00Z'),
      event(4, 'note.deleted', { noteId: 2 }),
      event(5, 'note.edited', { noteId: 99, text: 'of a note this page does not hold' }),
    ]);
    expect(notes.get(1)).toEqual({
      text: 'one, again',
      html: '<p>one, again</p>',
      editedAt: '2026-11-22T07:05:00Z',
      deleted: false,
    });
    expect(notes.get(2)).toMatchObject({ text: 'two', deleted: true, editedAt: null });
    expect(notes.size).toBe(2);
  });
});
