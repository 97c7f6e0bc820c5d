import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A reason and a button: what recording and rejecting a decision both ask.
 * `submit` gets the trimmed reason; its failure is shown under the form and
 * the reason kept, its success clears the reason.
 */
export function ReasonForm({
  id,
  label,
  placeholder,
  action,
  disabled = false,
  submit,
  children,
}: {
  id: string;
  label: string;
  placeholder?: string;
  /** The button's text. */
  action: string;
  disabled?: boolean;
  submit(reason: string): Promise<void>;
  /** Shown beside the button: hints, the outcome, a cancel link. */
  children?: ComponentChildren;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await submit(reason.trim());
      setReason('');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reason-form" onSubmit={onSubmit}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        required
        placeholder={placeholder}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="actions">
        <button type="submit" class="button" disabled={busy || disabled || !reason.trim()}>
          {action}
        </button>
        {children}
      </div>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
