import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { RunbookListEntry } from '../api/types.js';
import { LoadError, Loading } from '../components/loading.js';
import { useResource } from '../hooks/use-resource.js';

/** Matches on id, title and the alerts a runbook serves; every word must match somewhere. */
function matches(runbook: RunbookListEntry, text: string): boolean {
  const haystack = [runbook.id, runbook.title, ...runbook.alerts].join(' ').toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * The way out of "no runbook serves this alert": pin one of the catalogue by
 * hand, or write the alert's own with `alertbook new`.
 */
export function LinkRunbook({
  incidentId,
  alertname,
  onLinked,
}: {
  incidentId: number;
  alertname: string | null;
  onLinked(): void;
}) {
  const [searching, setSearching] = useState(false);
  return (
    <div class="link-runbook">
      {searching ? (
        <RunbookPicker incidentId={incidentId} onLinked={onLinked} onCancel={() => setSearching(false)} />
      ) : (
        <button type="button" onClick={() => setSearching(true)}>
          Link a runbook
        </button>
      )}
      {alertname && <NewRunbookCommand alertname={alertname} />}
    </div>
  );
}

function RunbookPicker({ incidentId, onLinked, onCancel }: { incidentId: number; onLinked(): void; onCancel(): void }) {
  const list = useResource('runbooks', () => api.get<{ runbooks: RunbookListEntry[] }>('/runbooks'));
  const [text, setText] = useState('');
  const [linking, setLinking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const link = async (runbookId: string) => {
    setLinking(runbookId);
    setError(null);
    try {
      await api.post(`/incidents/${incidentId}/runbook`, { id: runbookId });
      onLinked();
    } catch (failure) {
      setError(`Could not link "${runbookId}": ${(failure as Error).message}`);
      setLinking(null);
    }
  };

  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="runbooks" />;
  const shown = list.data.runbooks.filter((r) => !r.removed && matches(r, text));
  return (
    <div class="link-runbook-picker">
      <label class="link-runbook-search">
        <span>Search the runbooks</span>
        <input
          type="search"
          value={text}
          placeholder="title, id or alert name"
          // Opened on purpose: typing can start at once.
          // biome-ignore lint/a11y/noAutofocus: the field appears because the person asked for it
          autoFocus
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 ? (
        <p class="muted">No runbook matches.</p>
      ) : (
        <ul class="link-runbook-results">
          {shown.map((runbook) => (
            <li key={runbook.id}>
              <div class="link-runbook-result-text">
                <strong>{runbook.title}</strong>{' '}
                <span class="muted small mono">
                  {runbook.id}
                  {runbook.alerts.length > 0 && <> · {runbook.alerts.join(', ')}</>}
                </span>
              </div>
              <button
                type="button"
                class="small-button"
                disabled={linking !== null}
                aria-label={`Link ${runbook.title}`}
                onClick={() => void link(runbook.id)}
              >
                {linking === runbook.id ? 'Linking…' : 'Link'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="link-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** The command that writes this alert's runbook from its rule, ready to paste. */
function NewRunbookCommand({ alertname }: { alertname: string }) {
  const command = `alertbook new ${alertname}`;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      // No clipboard permission (plain http on another host): the text stays selectable.
      setCopied('failed');
    }
  };
  return (
    <div class="new-runbook-command">
      <p>Or write one from the alerting rule, in the runbooks repository:</p>
      <div class="new-runbook-command-line">
        <pre>
          <code>{command}</code>
        </pre>
        <button type="button" class="small-button" onClick={() => void copy()}>
          Copy
        </button>
        <span class="small muted" role="status">
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : ''}
        </span>
      </div>
    </div>
  );
}
