import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { DiffView } from '../components/diff-view.js';
import { LoadError, Loading } from '../components/loading.js';
import { TimeAgo } from '../components/time-ago.js';
import { formatDuration } from '../format/time.js';
import { formatValue } from '../format/value.js';
import { useResource } from '../hooks/use-resource.js';
import { decisionChanges, describeEventDetail } from './decision-view.js';
import { RejectDecision } from './reject-decision.js';
import type { TuningDecision } from './types.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** `/tuning/:id`: one decision, what it was made on, what it changes in the rule file, and how it turned out. */
export function DecisionPage({ id }: { id: number }) {
  const decision = useResource(`tuning-decision:${id}`, () => api.get<TuningDecision>(`/tuning/decisions/${id}`));
  useDocumentTitle(`Decision ${id} · Tuning`);
  if (decision.error) return <LoadError error={decision.error} retry={decision.reload} />;
  if (!decision.data) return <Loading label={`decision ${id}`} />;
  const d = decision.data;
  return (
    <article class="decision-page" aria-labelledby="decision-heading">
      <div class="page-heading">
        <h1 id="decision-heading">
          Decision #{d.id}: {d.alertname} <span class={`badge decision-status-${d.status}`}>{d.status}</span>
        </h1>
        <p class="muted small">
          <a href="/tuning">All decisions</a> · {d.file}:{d.line} · group {d.group} · rule version{' '}
          <code>{d.ruleVersion.slice(0, 12)}</code>
        </p>
      </div>
      <section class="panel" aria-labelledby="decision-change">
        <h2 id="decision-change">Change</h2>
        <table class="decision-changes">
          <tbody>
            {decisionChanges(d).map((change) => (
              <tr key={change.label}>
                <th scope="row">{change.label}</th>
                <td class="mono">{change.from}</td>
                <td aria-hidden="true">→</td>
                <td class="mono">{change.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="decision-reason">{d.reason}</p>
        <p class="muted small">
          by {d.actor}, <TimeAgo at={d.createdAt} />
          {d.incidentId !== null && (
            <>
              {' '}
              from <a href={`/incidents/${d.incidentId}`}>incident #{d.incidentId}</a>
            </>
          )}
        </p>
        {d.status === 'proposed' && <RejectDecision id={d.id} onRejected={decision.reload} />}
      </section>
      <Evidence decision={d} />
      <Patch id={d.id} />
      {d.verification && <Verification decision={d} />}
      <section class="panel" aria-labelledby="decision-events">
        <h2 id="decision-events">Events</h2>
        <ol class="decision-events">
          {d.events.map((event, i) => (
            <li key={i}>
              <strong>{event.status}</strong> by {event.actor}, <TimeAgo at={event.at} />
              {event.detail && <span class="muted"> — {describeEventDetail(event.detail)}</span>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function Evidence({ decision }: { decision: TuningDecision }) {
  const { baseline, backtest } = decision.evidence;
  return (
    <section class="panel" aria-labelledby="decision-evidence">
      <h2 id="decision-evidence">Evidence</h2>
      {baseline ? (
        <p class="small">
          Baseline of <code>{baseline.threshold.observed}</code> from{' '}
          {new Date(baseline.window.start * 1000).toLocaleString()} to{' '}
          {new Date(baseline.window.end * 1000).toLocaleString()}: p50 {formatValue(baseline.overall.p50, null)} · p95{' '}
          {formatValue(baseline.overall.p95, null)} · p99 {formatValue(baseline.overall.p99, null)} · max{' '}
          {formatValue(baseline.overall.max, null)} · coverage {Math.round(baseline.overall.coverage * 100)} %;
          suggested {formatValue(baseline.suggestion.threshold, null)}.
        </p>
      ) : (
        <p class="muted small">No baseline was recorded with this decision.</p>
      )}
      {backtest ? (
        <div class="table-scroll">
          <table class="tune-numbers" aria-label="Backtest evidence">
            <thead>
              <tr>
                <th scope="col">Definition</th>
                <th scope="col">Episodes</th>
                <th scope="col">Flaps</th>
                <th scope="col">Time firing</th>
              </tr>
            </thead>
            <tbody>
              {[backtest.current, ...backtest.candidates].map((result, i) => (
                <tr key={i}>
                  <th scope="row" class="tune-definition">
                    {i === 0 ? 'current' : result.definition.expr}
                  </th>
                  <td class="num">{result.firings}</td>
                  <td class="num">{result.flaps}</td>
                  <td class="num">{formatDuration(result.timeFiring * 1000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted small">No backtest was recorded with this decision.</p>
      )}
    </section>
  );
}

function Patch({ id }: { id: number }) {
  const patch = useResource(`tuning-patch:${id}`, () => api.getText(`/tuning/decisions/${id}/patch`));
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(patch.data ?? '');
      setCopied('Copied.');
    } catch {
      setCopied('The browser refused the clipboard: select the patch and copy it.');
    }
  };
  return (
    <section class="panel" aria-labelledby="decision-patch">
      <div class="tune-head">
        <h2 id="decision-patch">Rule-file patch</h2>
        {patch.data && (
          <button type="button" class="small-button" onClick={copy}>
            Copy patch
          </button>
        )}
      </div>
      {copied && (
        <p class="muted small" role="status">
          {copied}
        </p>
      )}
      {patch.error ? (
        <LoadError error={patch.error} retry={patch.reload} />
      ) : patch.data === null ? (
        <Loading label="patch" />
      ) : patch.data === '' ? (
        <p class="muted small">The rule file already says what the decision asks: nothing to patch.</p>
      ) : (
        <DiffView diff={patch.data} />
      )}
    </section>
  );
}

function Verification({ decision }: { decision: TuningDecision }) {
  const v = decision.verification!;
  // Before Alertbook's first alert nothing was recorded: a low count there is no evidence the decision worked.
  const beforeCount = (n: number) =>
    v.beforeRecorded === 'none' ? '—' : v.beforeRecorded === 'part' ? `${n} (partly recorded)` : n;
  return (
    <section class="panel" aria-labelledby="decision-verification">
      <h2 id="decision-verification">Predicted and actual</h2>
      <p class="muted small">
        From {new Date(v.window.from).toLocaleString()} to {new Date(v.window.to).toLocaleString()}.
        {v.beforeRecorded === 'none' &&
          ' Alertbook recorded nothing in the window before: there is nothing to compare with.'}
        {v.beforeRecorded === 'part' &&
          " Alertbook's history began within the window before: its counts cover only part of it."}
      </p>
      <table class="tune-numbers">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Figure</span>
            </th>
            <th scope="col">Predicted (backtest)</th>
            <th scope="col">Actual since applied</th>
            <th scope="col">Same length before</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Firings</th>
            <td class="num">{v.predicted?.episodes ?? '—'}</td>
            <td class="num">{v.actual.firings}</td>
            <td class="num">{beforeCount(v.before.firings)}</td>
          </tr>
          <tr>
            <th scope="row">Incidents</th>
            <td class="num">—</td>
            <td class="num">{v.actual.incidents}</td>
            <td class="num">{beforeCount(v.before.incidents)}</td>
          </tr>
          <tr>
            <th scope="row">Time firing</th>
            <td class="num">{v.predicted ? formatDuration(v.predicted.firingSeconds * 1000) : '—'}</td>
            <td class="num">—</td>
            <td class="num">—</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
