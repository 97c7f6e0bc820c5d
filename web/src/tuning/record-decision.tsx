import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { ReasonForm } from './reason-form.js';
import type { ProposedChange } from './proposal.js';
import type { RuleView, TuningDecision } from './types.js';

export interface DecisionDraft {
  rule: RuleView;
  thresholdIndex: number;
  /** What changes; null: the proposal is the rule as it is (or `for` is no duration). */
  to: ProposedChange | null;
  incidentId: number | null;
  evidence: { baselineId?: string | number; backtestId?: string | number };
}

/** "Record decision": the proposal, a reason, and the evidence it was made on, stored as a `proposed` decision. */
export function RecordDecision({ draft }: { draft: DecisionDraft }) {
  const [recorded, setRecorded] = useState<TuningDecision | null>(null);
  const record = async (reason: string) => {
    const { rule } = draft;
    setRecorded(
      await api.post<TuningDecision>('/tuning/decisions', {
        alertname: rule.alertname,
        group: rule.group,
        file: rule.file,
        line: rule.line,
        thresholdIndex: draft.thresholdIndex,
        to: draft.to,
        reason,
        ...(draft.incidentId !== null && { incidentId: draft.incidentId }),
        evidence: draft.evidence,
      }),
    );
  };
  return (
    <ReasonForm
      id="decision-reason"
      label="Reason"
      placeholder="Why this value: e.g. p95 over 7 d plus 25 %; the real spikes still fire"
      action="Record decision"
      disabled={!draft.to}
      submit={record}
    >
      {!draft.to && (
        <span class="muted small">
          The proposal is the rule as it is: change the threshold, for or keep_firing_for.
        </span>
      )}
      {recorded && (
        <span role="status">
          Recorded <a href={`/tuning/${recorded.id}`}>decision #{recorded.id}</a> ({recorded.status}).
        </span>
      )}
    </ReasonForm>
  );
}
