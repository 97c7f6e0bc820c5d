import { useEffect, useRef, useState } from 'preact/hooks';
import type { Alert, TimelineEvent } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { useResource } from '../hooks/use-resource.js';
import { silencesApi, useSilencesEnabled } from './silences-api.js';
import { SilenceForm } from './silences-form.js';
import { SilencesList } from './silences-list.js';
import './silences.css';

/**
 * The incident's silences, kept in Alertmanager: the active ones with Expire,
 * and a "Silence" button opening the form. Shown only when the server has
 * Alertmanagers configured (`GET /me` → `features.silences`).
 */
export function SilencesPanel(props: {
  incidentId: number;
  alerts: Alert[];
  timeline: TimelineEvent[];
  /** Re-reads the incident (its timeline) after a change made here. */
  onChanged(): void;
  /** Counts the header's "Silence…" clicks: each opens the form and brings it into view, its comment focused. */
  openRequests: number;
}) {
  if (!useSilencesEnabled()) return null;
  return <Silences {...props} />;
}

function Silences({
  incidentId,
  alerts,
  timeline,
  onChanged,
  openRequests,
}: {
  incidentId: number;
  alerts: Alert[];
  timeline: TimelineEvent[];
  onChanged(): void;
  openRequests: number;
}) {
  const list = useResource(`silences:${incidentId}`, () => silencesApi.list(incidentId));
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    if (openRequests === 0) return;
    setCreated(null);
    setOpen(true);
  }, [openRequests]);
  // After the form is rendered: the matchers are pre-filled, the comment is what is left to write.
  useEffect(() => {
    if (openRequests === 0 || !open) return;
    section.current?.scrollIntoView({ block: 'start' });
    // Scrolls on only if the window is too short to show it below the heading.
    section.current?.querySelector('textarea')?.focus();
  }, [openRequests, open]);

  // Someone (here or on another page) silenced or expired: the list follows the timeline.
  const silenceEvents = timeline.filter((e) => e.type === 'alert.silenced' || e.type === 'alert.unsilenced').length;
  const reload = list.reload;
  useEffect(() => reload(), [silenceEvents, reload]);

  const changed = () => {
    list.reload();
    onChanged();
  };

  return (
    <section ref={section} class="panel silences-panel" aria-labelledby="silences-heading">
      <div class="silences-title">
        <h2 id="silences-heading">Active silences</h2>
        {!open && (
          <button
            type="button"
            class="button"
            onClick={() => {
              setCreated(null);
              setOpen(true);
            }}
          >
            Silence…
          </button>
        )}
      </div>
      {open && (
        <SilenceForm
          incidentId={incidentId}
          labelSets={alerts.map((a) => a.labels)}
          onCancel={() => setOpen(false)}
          onCreated={(silence) => {
            setOpen(false);
            setCreated(silence.silenceId);
            changed();
          }}
        />
      )}
      {created && (
        <p class="small" role="status">
          Silence <code>{created.slice(0, 8)}</code> created in Alertmanager.
        </p>
      )}
      {list.error ? (
        <LoadError error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="silences" />
      ) : (
        <SilencesList
          silences={list.data.silences}
          expire={async (id) => {
            await silencesApi.expire(incidentId, id);
            setCreated(null);
            changed();
          }}
        />
      )}
    </section>
  );
}
