import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { IncidentDetail, IncidentRunbook } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { useKeyboard } from '../hooks/use-keyboard.js';
import { useResource } from '../hooks/use-resource.js';
import { AlertsTable } from '../incident/alerts-table.js';
import { EarlierIncidents } from '../incident/earlier-incidents.js';
import { IncidentHeader } from '../incident/incident-header.js';
import { LinkRunbook } from '../incident/link-runbook.js';
import { moveInNotebook } from '../incident/notebook-focus.js';
import { NewerVersionBanner } from '../incident/newer-version-banner.js';
import { NOTE_FIELD_ID, NoteForm } from '../incident/note-form.js';
import { RunbookNotebook } from '../incident/runbook-notebook.js';
import { ScratchCell } from '../incident/scratch-cell.js';
import { useSilencesEnabled } from '../incident/silences-api.js';
import { SilencesPanel } from '../incident/silences-panel.js';
import { Timeline } from '../incident/timeline.js';
import { prometheusBase } from '../links/prometheus-url.js';
import { useIncidentWatch } from '../live/hooks.js';
import { TuneEntry } from '../tuning/tune-entry.js';
import { incidentTabTitle, useDocumentTitle } from '../hooks/use-document-title.js';

/** Timeline events after which the runbook's view (steps, pin, window) may differ. */
const RUNBOOK_EVENTS = /^(step\.|runbook\.|incident\.resolved)/;

export function IncidentPage({ id, tune = false }: { id: number; tune?: boolean }) {
  const detail = useResource(`incident:${id}`, () => api.get<IncidentDetail>(`/incidents/${id}`));
  const runbook = useResource(`incident-runbook:${id}`, () => api.get<IncidentRunbook>(`/incidents/${id}/runbook`));
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const silencesEnabled = useSilencesEnabled();
  // Bumped by the header's "Silence…": the panel at the foot of the page opens its form and scrolls to it.
  const [silenceRequests, setSilenceRequests] = useState(0);

  useIncidentWatch([id], (types) => {
    detail.reload();
    // An empty list means "reconnected, anything may have changed".
    if (types.length === 0 || types.some((t) => RUNBOOK_EVENTS.test(t))) runbook.reload();
  });

  const act = async (verb: 'ack' | 'resolve') => {
    setBusy(true);
    setActionError(null);
    try {
      await api.post(`/incidents/${id}/${verb}`);
    } catch (error) {
      // 409: someone else was faster; the reload below shows who.
      if (!(error instanceof ApiError && error.status === 409)) setActionError((error as Error).message);
    } finally {
      setBusy(false);
      detail.reload();
    }
  };
  // Resolving cannot be undone (a new alert opens a new incident): asked once more.
  const resolve = () => {
    // As intake treats it (src/domain/incidents/INTAKE.md): still-firing alerts stay, a new one opens an incident.
    const question =
      'Resolve this incident? Alerts still firing stay with it; a new alert of its group opens a new one.';
    if (window.confirm(question)) void act('resolve');
  };

  const incident = detail.data?.incident;
  useDocumentTitle(incident ? incidentTabTitle(incident) : `Incident ${id}`);
  useKeyboard({
    a: () => {
      if (incident?.status === 'firing' && !incident.acknowledgedAt && !busy) void act('ack');
    },
    n: () => document.getElementById(NOTE_FIELD_ID)?.focus(),
    j: () => moveInNotebook(1),
    k: () => moveInNotebook(-1),
  });

  if (detail.error) return <LoadError error={detail.error} retry={detail.reload} />;
  if (!detail.data || !incident) return <Loading label={`incident ${id}`} />;

  const base = prometheusBase(detail.data.alerts.find((a) => a.generatorURL)?.generatorURL);
  const marker = new Date(incident.startedAt).getTime() / 1000;
  const pinned = runbook.data?.runbook ?? null;

  const toggleStep = async (stepId: string, checked: boolean) => {
    try {
      await api.post(`/incidents/${id}/steps/${encodeURIComponent(stepId)}`, { checked });
    } catch (error) {
      setActionError(`Could not record the step: ${(error as Error).message}`);
      throw error;
    } finally {
      runbook.reload();
    }
  };
  const pin = async (body: Record<string, unknown>) => {
    await api.post(`/incidents/${id}/snapshots`, body);
    detail.reload();
  };

  return (
    <article class="incident-page">
      <IncidentHeader
        detail={detail.data}
        actions={{ acknowledge: () => void act('ack'), resolve, busy, error: actionError }}
        onSilence={silencesEnabled ? () => setSilenceRequests((n) => n + 1) : undefined}
      />
      {pinned && runbook.data?.newerVersion && (
        <NewerVersionBanner
          runbookId={pinned.id}
          pinnedSha={pinned.version.sha}
          newerSha={runbook.data.newerVersion.sha}
        />
      )}
      {/* On a phone the notes and the timeline come after the whole runbook. */}
      <nav class="incident-jump" aria-label="On this page">
        <a href="#incident-notes">Notes</a> · <a href="#timeline-heading">Timeline</a> ·{' '}
        <a href="#runbook-heading">Runbook</a>
      </nav>
      <div class="incident-grid">
        <div class="incident-main">
          <TuneEntry
            incidentId={id}
            alertname={incident.alertname}
            alertLabels={detail.data.alerts[0]?.labels ?? {}}
            marker={marker}
            open={tune}
          />
          <section class="panel runbook-panel" aria-labelledby="runbook-heading">
            {runbook.error ? (
              <LoadError error={runbook.error} retry={runbook.reload} />
            ) : !runbook.data ? (
              <Loading label="runbook" />
            ) : pinned ? (
              <>
                <h2 id="runbook-heading">
                  Runbook: <a href={`/runbooks/${pinned.id}`}>{pinned.title}</a>{' '}
                  <span class="muted small">
                    version <code>{pinned.version.sha.slice(0, 7)}</code>
                    {pinned.owner && <> · owner {pinned.owner}</>}
                  </span>
                </h2>
                <RunbookNotebook
                  incident={incident}
                  runbook={pinned}
                  prometheusBase={base}
                  timeline={detail.data.timeline}
                  onStep={toggleStep}
                  onPin={(cellId, window) => pin({ cellId, ...window })}
                />
              </>
            ) : (
              <>
                <h2 id="runbook-heading">No runbook</h2>
                <p>
                  No runbook in this repository serves this alert.
                  {runbook.data.externalUrl && (
                    <>
                      {' '}
                      The alert links to{' '}
                      <a href={runbook.data.externalUrl} target="_blank" rel="noopener noreferrer">
                        {runbook.data.externalUrl}
                      </a>
                      .
                    </>
                  )}
                </p>
                <LinkRunbook
                  incidentId={id}
                  alertname={incident.alertname}
                  onLinked={() => {
                    runbook.reload();
                    detail.reload();
                  }}
                />
              </>
            )}
          </section>
          <ScratchCell
            marker={marker}
            syncKey={`incident-${id}`}
            prometheusBase={base}
            onPin={(query, window) => pin({ query, ...window })}
          />
          <AlertsTable alerts={detail.data.alerts} />
          <SilencesPanel
            incidentId={id}
            alerts={detail.data.alerts}
            timeline={detail.data.timeline}
            onChanged={detail.reload}
            openRequests={silenceRequests}
          />
        </div>
        <div class="incident-side">
          <section class="panel" aria-label="Notes" id="incident-notes">
            <NoteForm incidentId={id} onAdded={detail.reload} />
          </section>
          <EarlierIncidents id={id} />
          <Timeline
            events={detail.data.timeline}
            context={{
              incidentId: id,
              marker,
              cells: pinned?.cells ?? [],
              steps: pinned?.steps ?? [],
              onChanged: detail.reload,
            }}
          />
        </div>
      </div>
    </article>
  );
}
