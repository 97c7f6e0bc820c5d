/** The timeline fields a note's story is read from. */
export interface NoteEvent {
  id: number;
  type: string;
  actor: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface CurrentNote {
  id: number;
  actor: string;
  at: Date;
  text: string;
}

/**
 * An incident's notes as they read now, oldest first: each at its latest text
 * (`note.edited`), deleted ones left out (`note.deleted`; the timeline still
 * says one was). `events` in timeline order; events of other types are ignored.
 */
export function currentNotes(events: NoteEvent[]): CurrentNote[] {
  const current = new Map<number, CurrentNote>();
  for (const e of events) {
    if (e.type === 'note.added') current.set(e.id, { id: e.id, actor: e.actor, at: e.at, text: String(e.data.text) });
    else if (e.type === 'note.edited') {
      const note = current.get(Number(e.data.noteId));
      if (note) note.text = String(e.data.text);
    } else if (e.type === 'note.deleted') current.delete(Number(e.data.noteId));
  }
  return [...current.values()];
}
