/** Times as a person on call reads them: local clock time, and ages like "12m" or "3h 5m". */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45s", "12m", "3h 5m", "2d 4h": two units at most, rounded down. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)}s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m`;
  if (abs < DAY) {
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    return `${Math.floor(abs / HOUR)}h${minutes ? ` ${minutes}m` : ''}`;
  }
  const hours = Math.floor((abs % DAY) / HOUR);
  return `${Math.floor(abs / DAY)}d${hours ? ` ${hours}h` : ''}`;
}

/** "just now", "12m ago", "in 5m" (clocks disagree a little: the future says so). */
export function formatAge(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  if (Math.abs(ms) < 10 * SECOND) return 'just now';
  return ms > 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(-ms)}`;
}

/** Clock time for today, date and time otherwise, in the browser's time zone. */
export function formatLocalTime(at: Date, now: Date): string {
  const sameDay = at.toDateString() === now.toDateString();
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (sameDay) return time;
  const date = at.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(at.getFullYear() !== now.getFullYear() && { year: 'numeric' }),
  });
  return `${date} ${time}`;
}

/** The full timestamp for a tooltip: local, with the zone spelled out. */
export function formatFullTime(at: Date): string {
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
}

/** Seconds as a Prometheus duration for labels and links: 90 → "1m30s", 3600 → "1h". */
export function formatPromDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || '0s';
}

/** A chart's time-axis tick: seconds only on short windows, the date only on multi-day ones. */
export function formatAxisTime(unixSeconds: number, spanSeconds: number): string {
  const at = new Date(unixSeconds * 1000);
  const time = at.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(spanSeconds <= 600 && { second: '2-digit' }),
  });
  if (spanSeconds <= 2 * 86400) return time;
  return `${at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}
