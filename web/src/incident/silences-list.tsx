import { useState } from 'preact/hooks';
import { TimeAgo } from '../components/time-ago.js';
import type { IncidentSilence } from './silences-api.js';
import { formatMatcher } from './silences-draft.js';

/** The incident's active (and pending) silences, each with an Expire button. */
export function SilencesList({
  silences,
  expire,
}: {
  silences: IncidentSilence[];
  /** Expires one; a failure is thrown and shown on its row. */
  expire(id: string): Promise<void>;
}) {
  if (silences.length === 0) return <p class="muted small">No active silence matches this incident's alerts.</p>;
  return (
    <ul class="silences-list" aria-label="Active silences">
      {silences.map((silence) => (
        <SilenceItem key={silence.id} silence={silence} expire={expire} />
      ))}
    </ul>
  );
}

function SilenceItem({ silence, expire }: { silence: IncidentSilence; expire(id: string): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onExpire = async () => {
    setBusy(true);
    setError(null);
    try {
      await expire(silence.id);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };
  return (
    <li class="silence-item" data-silence-id={silence.id}>
      <div class="silence-head">
        <code class="silence-id" title={silence.id}>
          {silence.id.slice(0, 8)}
        </code>
        {silence.state !== 'active' && <span class="badge">{silence.state}</span>}
        <span class="silence-until">
          until <TimeAgo at={silence.endsAt} />
        </span>
        <span class="muted small">by {silence.createdBy}</span>
        <button
          type="button"
          class="small-button"
          disabled={busy}
          onClick={onExpire}
          aria-label={`Expire silence ${silence.id}`}
        >
          Expire
        </button>
      </div>
      <ul class="silence-matcher-list">
        {silence.matchers.map((m) => (
          <li key={`${m.name}${m.isRegex}${m.isEqual}${m.value}`}>
            <code>{formatMatcher(m)}</code>
          </li>
        ))}
      </ul>
      {silence.comment && <p class="small silence-comment">{silence.comment}</p>}
      {error && (
        <p class="inline-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
