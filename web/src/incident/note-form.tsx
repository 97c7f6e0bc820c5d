import { useState } from 'preact/hooks';
import { api } from '../api/client.js';

export const NOTE_FIELD_ID = 'note-text';

/** Markdown notes on the timeline; Ctrl/⌘+Enter sends. */
export function NoteForm({ incidentId, onAdded }: { incidentId: number; onAdded(): void }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    setError(null);
    try {
      await api.post(`/incidents/${incidentId}/notes`, { text });
      setText('');
      onAdded();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      class="note-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label for={NOTE_FIELD_ID}>
        Add a note <kbd>n</kbd> <span class="muted small">markdown</span>
      </label>
      <textarea
        id={NOTE_FIELD_ID}
        rows={3}
        value={text}
        placeholder="What you saw, what you tried…"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div class="form-row">
        <button type="submit" disabled={sending || !text.trim()}>
          {sending ? 'Adding…' : 'Add note'}
        </button>
        {error && (
          <span class="inline-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
