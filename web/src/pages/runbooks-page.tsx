import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { RunbookListEntry } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { TimeAgo } from '../components/time-ago.js';
import { useResource } from '../hooks/use-resource.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/** Every word of the search in the runbook's title, id, path, alerts or owner. */
function matches(runbook: RunbookListEntry, text: string): boolean {
  const haystack = [runbook.id, runbook.title, runbook.path, runbook.owner ?? '', ...runbook.alerts]
    .join(' ')
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function RunbooksPage() {
  useDocumentTitle('Runbooks');
  const list = useResource('runbooks', () => api.get<{ runbooks: RunbookListEntry[] }>('/runbooks'));
  const [text, setText] = useState('');
  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="runbooks" />;
  const runbooks = list.data.runbooks;
  const shown = runbooks.filter((r) => matches(r, text));
  return (
    <section aria-labelledby="runbooks-heading">
      <div class="page-heading">
        <h1 id="runbooks-heading">Runbooks</h1>
        <p class="muted small">{runbooks.filter((r) => !r.removed).length} in the repository</p>
      </div>
      {runbooks.length === 0 ? (
        <p class="empty">No runbooks yet: add markdown files to the runbooks folder (see its README).</p>
      ) : (
        <>
          {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for some of the browsers on-call people use */}
          <form class="runbooks-search" role="search" onSubmit={(e) => e.preventDefault()}>
            <label>
              <span class="filter-label">Search</span>
              <input
                type="search"
                placeholder="title, alert or owner"
                value={text}
                onInput={(e) => setText(e.currentTarget.value)}
              />
            </label>
          </form>
          {shown.length === 0 ? (
            <p class="empty">No runbook matches “{text}”.</p>
          ) : (
            <div class="table-scroll">
              {/* Cards on a phone (see .runbook-cards in app.css): four columns do not fit 375 px. */}
              <table class="runbooks-table runbook-cards">
                <thead>
                  <tr>
                    <th scope="col">Runbook</th>
                    <th scope="col">Serves alerts</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Version</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((runbook) => (
                    <tr key={runbook.id} class={runbook.removed ? 'removed' : undefined}>
                      <td>
                        <a href={`/runbooks/${runbook.id}`}>{runbook.title}</a>
                        <div class="muted small mono runbook-card-path">{runbook.path}</div>
                        {runbook.removed && <span class="badge badge-resolved">removed</span>}
                      </td>
                      <td data-label="Serves alerts">
                        {runbook.alerts.length ? (
                          <ul class="chips runbook-card-alerts">
                            {runbook.alerts.map((alert) => (
                              <li class="chip" key={alert}>
                                <span class="chip-value">{alert}</span>
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <span class="warning-text">none: not linked to any alert by name</span>
                        )}
                      </td>
                      <td data-label="Owner">{runbook.owner ?? <span class="muted">—</span>}</td>
                      <td data-label="Version" class="nowrap">
                        {/* When this Alertbook loaded the version, not when the file changed: on a fresh install every
                            runbook was loaded minutes ago, and a bare "1m ago" read as a fresh edit. */}
                        <code>{runbook.currentVersion.slice(0, 7)}</code>{' '}
                        <span class="muted small">
                          loaded <TimeAgo at={runbook.updatedAt} show="age" />
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
