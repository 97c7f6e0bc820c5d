import { TimeAgo } from '../components/time-ago.js';
import { type ApiMatcher, formatMatcher } from './silences-draft.js';

/**
 * The body of an `alert.silenced` / `alert.unsilenced` timeline row: which
 * silence, its matchers, until when and why (silenced), in which Alertmanager.
 */
export function SilenceEventBody({ data }: { data: Record<string, unknown> }) {
  const silenceId = String(data.silenceId ?? '');
  const matchers = Array.isArray(data.matchers) ? (data.matchers as ApiMatcher[]) : [];
  return (
    <div class="small event-silence">
      <p>
        Silence <code title={silenceId}>{silenceId.slice(0, 8)}</code>
        {typeof data.until === 'string' && (
          <>
            {' '}
            until <TimeAgo at={data.until} />
          </>
        )}
        {typeof data.alertmanager === 'string' && <span class="muted"> · {data.alertmanager}</span>}
      </p>
      {matchers.length > 0 && (
        <p>
          <code>{`{${matchers.map(formatMatcher).join(', ')}}`}</code>
        </p>
      )}
      {typeof data.comment === 'string' && <p>“{data.comment}”</p>}
    </div>
  );
}
