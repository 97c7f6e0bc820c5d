import { api } from '../api/client.js';
import type { RunbookListEntry } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { TimeAgo } from '../components/time-ago.js';
import { useResource } from '../hooks/use-resource.js';

export function RunbooksPage() {
  const list = useResource('runbooks', () => api.get<{ runbooks: RunbookListEntry[] }>('/runbooks'));
  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="runbooks" />;
  const runbooks = list.data.runbooks;
  return (
    <section aria-labelledby="runbooks-heading">
      <div class="page-heading">
        <h1 id="runbooks-heading">Runbooks</h1>
        <p class="muted small">{runbooks.filter((r) => !r.removed).length} in the repository</p>
      </div>
      {runbooks.length === 0 ? (
        <p class="empty">No runbooks yet: add markdown files to the runbooks folder (see its README).</p>
      ) : (
        <div class="table-scroll">
          <table class="runbooks-table">
            <thead>
              <tr>
                <th scope="col">Runbook</th>
                <th scope="col">Serves alerts</th>
                <th scope="col">Owner</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {runbooks.map((runbook) => (
                <tr key={runbook.id} class={runbook.removed ? 'removed' : undefined}>
                  <td>
                    <a href={`/runbooks/${runbook.id}`}>{runbook.title}</a>
                    <div class="muted small mono">{runbook.path}</div>
                    {runbook.removed && <span class="badge badge-resolved">removed</span>}
                  </td>
                  <td>
                    {runbook.alerts.length ? (
                      <ul class="chips">
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
                  <td>{runbook.owner ?? <span class="muted">—</span>}</td>
                  <td class="nowrap">
                    <code>{runbook.currentVersion.slice(0, 7)}</code> <TimeAgo at={runbook.updatedAt} show="age" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
