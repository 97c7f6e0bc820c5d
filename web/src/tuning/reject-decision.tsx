import { useState } from 'preact/hooks';
import { api } from '../api/client.js';

/** A proposal nobody will apply is rejected, with a reason: the record says why it was not done. */
export function RejectDecision({ id, onRejected }: { id: number; onRejected(): void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" class="small-button" onClick={() => setOpen(true)}>
        Reject…
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api.patch(`/tuning/decisions/${id}`, { status: 'rejected', reason: reason.trim() });
      onRejected();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form class="record-decision" onSubmit={submit}>
      <label for="reject-reason">Why reject it</label>
      <textarea id="reject-reason" rows={2} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <div class="actions">
        <button type="submit" class="button" disabled={!reason.trim()}>
          Reject decision
        </button>
        <button type="button" class="link-button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
