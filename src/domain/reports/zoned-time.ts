/*
 * Calendar arithmetic in an IANA time zone with nothing but Intl: the instant a
 * local wall-clock time names, and the local calendar fields of an instant.
 * (Temporal would do this, but Node 20 has none and a polyfill is 200 kB for two functions.)
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (`Europe/Berlin`, `UTC`); false for `Mars/Olympus`. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of `instant` in `timeZone`. */
export function localFields(instant: Date, timeZone: string): LocalFields {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const f = localFields(new Date(instant), timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of local midnight starting the calendar day `y-m-d` in `timeZone`.
 * Midnight exists in every zone this serves except a few that skip it on a DST
 * change; there the first instant after the gap is taken (the same as Temporal's
 * "compatible" disambiguation).
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  // The offset at the wall time read as UTC is a first guess; the offset at that guess is right
  // unless a change lies between the two, and then the second guess is.
  const guess = wall - offsetAt(wall, timeZone);
  const corrected = wall - offsetAt(guess, timeZone);
  return new Date(guess === corrected ? guess : Math.max(guess, corrected));
}
