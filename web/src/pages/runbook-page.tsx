import { render } from 'preact';
import { api } from '../api/client.js';
import type { RunbookCell, RunbookVersion, RunbookVersionEntry } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { ServerHtml } from '../components/server-html.js';
import { TimeAgo } from '../components/time-ago.js';
import { VersionDiff } from '../components/version-diff.js';
import { formatPromDuration } from '../format/time.js';
import { useResource } from '../hooks/use-resource.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/**
 * One runbook as a reviewer reads it: a version rendered (its cells as their
 * query templates; they only run on an incident), its problems, its history,
 * and the diff between any two versions (`?from=&to=`).
 */
export function RunbookPage({ id, query }: { id: string; query: URLSearchParams }) {
  const versionSha = query.get('version');
  const from = query.get('from');
  const to = query.get('to');
  const path = `/runbooks/${id}`;
  const version = useResource(`runbook:${id}:${versionSha ?? 'current'}`, () =>
    api.get<RunbookVersion>(versionSha ? `${path}/versions/${versionSha}` : path),
  );
  const history = useResource(`runbook-versions:${id}`, () =>
    api.get<{ versions: RunbookVersionEntry[] }>(`${path}/versions`),
  );
  useDocumentTitle(`${version.data?.title ?? id} · Runbooks`);

  if (version.error) return <LoadError error={version.error} retry={version.reload} />;
  if (!version.data) return <Loading label={`runbook ${id}`} />;
  const runbook = version.data;

  return (
    <article class="runbook-page">
      <header class="page-heading">
        <h1>{runbook.title}</h1>
        <p class="muted small">
          <code>{runbook.id}</code> · {runbook.path}
          {runbook.owner && <> · owner {runbook.owner}</>} · datasource {runbook.datasource} · serves{' '}
          {runbook.alerts.length ? runbook.alerts.join(', ') : 'no alert by name'}
        </p>
      </header>
      <div class="incident-grid">
        <div class="incident-main">
          {from && (
            <section class="panel" aria-labelledby="diff-heading">
              <h2 id="diff-heading">
                Changes <code>{from.slice(0, 7)}</code> → <code>{(to ?? runbook.version.sha).slice(0, 7)}</code>
              </h2>
              <VersionDiff runbookId={id} from={from} to={to ?? runbook.version.sha} />
            </section>
          )}
          {runbook.problems.length > 0 && (
            <section class="panel" aria-labelledby="problems-heading">
              <h2 id="problems-heading">Problems</h2>
              <ul class="problems">
                {runbook.problems.map((p) => (
                  <li class={`problem-${p.severity}`}>
                    <code>
                      {runbook.path}:{p.line}:{p.column}
                    </code>{' '}
                    {p.severity}: {p.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section class="panel runbook-panel" aria-label="Runbook">
            <p class="muted small">
              Version <code>{runbook.version.sha.slice(0, 12)}</code>
              {runbook.version.gitCommit && (
                <>
                  {' '}
                  · commit <code>{runbook.version.gitCommit.slice(0, 12)}</code>
                </>
              )}{' '}
              · first seen <TimeAgo at={runbook.version.firstSeenAt} />
            </p>
            <ServerHtml
              class="runbook-body static"
              html={runbook.html}
              mountIslands={(root) => captionCells(root, runbook.cells)}
            />
          </section>
        </div>
        <aside class="incident-side">
          <section class="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            {history.error ? (
              <LoadError error={history.error} retry={history.reload} />
            ) : !history.data ? (
              <Loading label="versions" />
            ) : (
              <ol class="versions">
                {history.data.versions.map((v, i, versions) => {
                  const previous = versions[i + 1];
                  return (
                    <li key={v.sha} class={v.sha === runbook.version.sha ? 'current' : undefined}>
                      <a href={`${path}?version=${v.sha}`}>
                        <code>{v.sha.slice(0, 7)}</code>
                      </a>{' '}
                      <TimeAgo at={v.firstSeenAt} />
                      {v.gitCommit && <span class="muted small"> · commit {v.gitCommit.slice(0, 7)}</span>}
                      {i === 0 && <span class="muted small"> · current</span>}
                      {previous && (
                        <>
                          {' '}
                          · <a href={`${path}?from=${previous.sha}&to=${v.sha}`}>diff with previous</a>
                        </>
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </article>
  );
}

/** Outside an incident a cell does not run: its placeholder says what it would show. */
function captionCells(root: HTMLElement, cells: RunbookCell[]): void {
  const byId = new Map(cells.map((c) => [c.id, c]));
  for (const placeholder of root.querySelectorAll<HTMLElement>('.ab-cell')) {
    const cell = byId.get(placeholder.dataset.cellId ?? '');
    render(cell ? <CellCaption cell={cell} /> : null, placeholder);
  }
}

function CellCaption({ cell }: { cell: RunbookCell }) {
  const facts = [
    cell.instant ? 'instant (table)' : 'chart',
    cell.range !== null && `range ${formatPromDuration(cell.range)}`,
    cell.step !== null && `step ${formatPromDuration(cell.step)}`,
    cell.refresh !== null && `refresh ${formatPromDuration(cell.refresh)}`,
    cell.threshold !== null && `threshold ${cell.threshold}`,
    cell.unit !== null && `unit ${cell.unit}`,
  ].filter(Boolean);
  return (
    <p class="cell-caption">
      <strong>{cell.title ?? cell.id}</strong> <span class="muted small">· {facts.join(' · ')}</span>
    </p>
  );
}
