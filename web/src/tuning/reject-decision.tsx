import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { ReasonForm } from './reason-form.js';

/** A proposal nobody will apply is rejected, with a reason: the record says why it was not done. */
export function RejectDecision({ id, onRejected }: { id: number; onRejected(): void }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" class="small-button" onClick={() => setOpen(true)}>
        Reject…
      </button>
    );
  }
  const reject = async (reason: string) => {
    await api.patch(`/tuning/decisions/${id}`, { status: 'rejected', reason });
    onRejected();
  };
  return (
    <ReasonForm id="reject-reason" label="Why reject it" action="Reject decision" submit={reject}>
      <button type="button" class="link-button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </ReasonForm>
  );
}
