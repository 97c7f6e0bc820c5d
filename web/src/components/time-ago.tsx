import { formatAge, formatFullTime, formatLocalTime } from '../format/time.js';
import { useNow } from '../hooks/use-now.js';

/**
 * A moment as local clock time, relative age, or both ("04:43:29 (7m ago)");
 * the full timestamp with its zone on hover.
 */
export function TimeAgo({ at, show = 'both' }: { at: string; show?: 'both' | 'age' | 'clock' }) {
  const now = useNow();
  const date = new Date(at);
  const clock = formatLocalTime(date, now);
  const age = formatAge(date, now);
  return (
    <time dateTime={at} title={formatFullTime(date)}>
      {show === 'both' ? `${clock} (${age})` : show === 'age' ? age : clock}
    </time>
  );
}
