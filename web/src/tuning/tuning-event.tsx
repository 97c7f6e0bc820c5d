import { describeChanges } from './decision-view.js';
import type { DecisionValues } from './types.js';

/** `tuning.proposed` / `tuning.applied` data: the decision made from this incident. */
interface TuningEventData {
  decisionId: number;
  alertname: string;
  from: DecisionValues;
  to: DecisionValues;
  reason: string;
}

/** The body of a tuning event on the incident timeline: what changes, why, and a link to the decision. */
export function TuningEventBody({ data }: { data: Record<string, unknown> }) {
  const event = data as unknown as TuningEventData;
  return (
    <p class="small">
      <a href={`/tuning/${event.decisionId}`}>
        Decision #{event.decisionId} on {event.alertname}
      </a>
      : {event.from && event.to ? describeChanges(event) : ''}
      {event.reason && <span class="muted"> — {event.reason}</span>}
    </p>
  );
}
