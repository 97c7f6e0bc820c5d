import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { NoteBody } from './note-body.js';
import type { NoteState } from './note-revisions.js';

/** A note on the timeline; its author may edit or delete it (the timeline keeps every earlier text). */
export function NoteCard({
  incidentId,
  noteId,
  note,
  mine,
  onChanged,
}: {
  incidentId: number;
  noteId: number;
  note: NoteState;
  mine: boolean;
  onChanged(): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (note.deleted) return <p class="note-body muted small">This note was deleted.</p>;

  const act = async (change: () => Promise<unknown>) => {
    setError(null);
    try {
      await change();
      setDraft(null);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const path = `/incidents/${incidentId}/notes/${noteId}`;
  const fieldId = `note-edit-${noteId}`;
  return (
    <>
      {draft === null ? (
        <NoteBody text={note.text} html={note.html} />
      ) : (
        <form
          class="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.put(path, { text: draft }));
          }}
        >
          <label for={fieldId} class="visually-hidden">
            Edit note
          </label>
          <textarea id={fieldId} rows={3} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <div class="form-row">
            <button type="submit" disabled={!draft.trim()}>
              Save
            </button>
            <button type="button" class="link-button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <div class="form-row small">
        {note.editedAt && <span class="muted">edited</span>}
        {mine && draft === null && (
          <>
            <button type="button" class="link-button" onClick={() => setDraft(note.text)}>
              Edit
            </button>
            <button
              type="button"
              class="link-button"
              onClick={() => confirm('Delete this note?') && void act(() => api.delete(path))}
            >
              Delete
            </button>
          </>
        )}
        {error && (
          <span class="inline-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </>
  );
}
