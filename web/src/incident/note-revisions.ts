import type { TimelineEvent } from '../api/types.js';

/** A note as it reads now: its latest text, whether it was edited, whether it was deleted. */
export interface NoteState {
  text: string;
  html: string | null;
  editedAt: string | null;
  deleted: boolean;
}

/**
 * Folds `note.edited` / `note.deleted` events (which name the `note.added` event
 * as `noteId`) onto their notes, in timeline order. The events themselves stay
 * on the timeline: that is the text history.
 */
export function noteStates(events: readonly TimelineEvent[]): Map<number, NoteState> {
  const notes = new Map<number, NoteState>();
  for (const event of events) {
    const html = typeof event.data.html === 'string' ? event.data.html : null;
    if (event.type === 'note.added') {
      notes.set(event.id, { text: String(event.data.text ?? ''), html, editedAt: null, deleted: false });
      continue;
    }
    const note = notes.get(Number(event.data.noteId));
    if (!note) continue;
    if (event.type === 'note.edited')
      Object.assign(note, { text: String(event.data.text ?? ''), html, editedAt: event.at });
    if (event.type === 'note.deleted') note.deleted = true;
  }
  return notes;
}
