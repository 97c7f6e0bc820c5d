import { fieldPath } from '../errors.js';

/*
 * Values the webhook protocol allows but Postgres cannot hold as they are, and
 * what intake stores instead. A notification that can never be stored would be
 * retried by Alertmanager forever, its valid alerts with it, so a value is
 * adjusted rather than the notification refused, and the adjustment is
 * reported (README: the webhook).
 */

// text and jsonb hold neither NUL nor a lone UTF-16 surrogate (which UTF-8 cannot encode).
const UNSTORABLE_CHARACTER = /[\0\uD800-\uDFFF]/;
const UNSTORABLE_CHARACTERS = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Every layer round-trips a timestamp in these years: Postgres' ISO input takes no year 0 nor a fifth digit from
// toISOString, and the drivers read Postgres' "0001-06-01 00:00:00+00" back with Date's legacy parser, which takes
// years 0–99 for 1950–2049 (2001-01-06 there). RFC 3339 with an offset reaches a day past 0000–9999.
const FIRST_STORABLE_INSTANT = Date.parse('0100-01-01T00:00:00.000Z');
const LAST_STORABLE_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** The largest count an `integer` column holds (Alertmanager's truncatedAlerts is a uint64). */
export const LARGEST_STORED_COUNT = 2_147_483_647;

/** Makes values storable and remembers the field path of each one it had to change. */
export class StorableValues {
  readonly adjusted: string[] = [];

  /** NUL and lone surrogates replaced by U+FFFD, the Unicode replacement character. */
  text(value: string, ...path: PropertyKey[]): string {
    const stored = storableText(value);
    if (stored !== value) this.adjusted.push(fieldPath(path));
    return stored;
  }

  /** A label set with its names and values storable; the same object when nothing needed a change. */
  labels(set: Record<string, string>, ...path: PropertyKey[]): Record<string, string> {
    // The common case, checked without allocating: a storm has tens of thousands of label sets.
    let clean = true;
    for (const name in set) clean &&= !UNSTORABLE_CHARACTER.test(name) && !UNSTORABLE_CHARACTER.test(set[name]!);
    if (clean) return set;
    const entries = Object.entries(set).map(([name, value]): [string, string] => {
      const stored: [string, string] = [storableText(name), storableText(value)];
      if (stored[0] !== name || stored[1] !== value) this.adjusted.push(fieldPath([...path, name]));
      return stored;
    });
    // fromEntries defines own properties: a "__proto__" label stays a label.
    return Object.fromEntries(entries);
  }

  /** The instant, or the nearest one every layer can hold. */
  instant(date: Date, ...path: PropertyKey[]): Date {
    const time = date.getTime();
    if (time >= FIRST_STORABLE_INSTANT && time <= LAST_STORABLE_INSTANT) return date;
    this.adjusted.push(fieldPath(path));
    return new Date(Math.min(Math.max(time, FIRST_STORABLE_INSTANT), LAST_STORABLE_INSTANT));
  }
}

function storableText(value: string): string {
  // A well-formed surrogate pair (an emoji) matches the quick test and comes back unchanged.
  return UNSTORABLE_CHARACTER.test(value) ? value.replace(UNSTORABLE_CHARACTERS, '\uFFFD') : value;
}
