import { navigate } from '../router.js';
import { TunePanel } from './tune-panel.js';

/**
 * The incident page's way in: a "Tune this alert" button, or the panel itself
 * when the location says `?tune=1` (the link weekly reports use).
 */
export function TuneEntry({
  incidentId,
  alertname,
  alertLabels,
  marker,
  open,
}: {
  incidentId: number;
  alertname: string | null;
  /** An alert of the incident's: which of several rules of that alertname fired it. */
  alertLabels: Record<string, string>;
  marker: number;
  open: boolean;
}) {
  if (!alertname) return null;
  if (!open) {
    return (
      <div class="tune-entry">
        <button type="button" class="button" onClick={() => navigate(`/incidents/${incidentId}?tune=1`)}>
          Tune this alert
        </button>
      </div>
    );
  }
  return (
    <TunePanel
      incidentId={incidentId}
      alertname={alertname}
      alertLabels={alertLabels}
      marker={marker}
      onClose={() => navigate(`/incidents/${incidentId}`)}
    />
  );
}
