import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { RuleView, TuningDecision } from './types.js';

export interface DecisionDraft {
  rule: RuleView;
  thresholdIndex: number;
  /** What changes; null: the proposal is the rule as it is (or `for` is no duration). */
  to: { threshold?: number; for?: string } | null;
  incidentId: number | null;
  evidence: { baselineId?: string | number; backtestId?: string | number };
}

/** "Record decision": the proposal, a reason, and the evidence it was made on, stored as a `proposed` decision. */
export function RecordDecision({ draft }: { draft: DecisionDraft }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<TuningDecision | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!draft.to) return;
    setBusy(true);
    setError(null);
    try {
      const { rule } = draft;
      setRecorded(
        await api.post<TuningDecision>('/tuning/decisions', {
          alertname: rule.alertname,
          group: rule.group,
          file: rule.file,
          thresholdIndex: draft.thresholdIndex,
          to: draft.to,
          reason: reason.trim(),
          ...(draft.incidentId !== null && { incidentId: draft.incidentId }),
          evidence: draft.evidence,
        }),
      );
      setReason('');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="record-decision" onSubmit={submit}>
      <label for="decision-reason">Reason</label>
      <textarea
        id="decision-reason"
        rows={2}
        required
        placeholder="Why this value: e.g. p95 over 7 d plus 25 %; the real spikes still fire"
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="actions">
        <button type="submit" class="button" disabled={busy || !draft.to || !reason.trim()}>
          Record decision
        </button>
        {!draft.to && <span class="muted small">The proposal is the rule as it is: change the threshold or for.</span>}
        {recorded && (
          <span role="status">
            Recorded <a href={`/tuning/${recorded.id}`}>decision #{recorded.id}</a> ({recorded.status}).
          </span>
        )}
      </div>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
