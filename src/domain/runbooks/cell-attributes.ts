import { parsePrometheusDuration } from '../../prometheus/duration.js';
import type { RunbookCell } from './runbook.js';

/** What the info string of a ```promql fence may say about its cell (the cell's own fields, and its id if given). */
export type CellAttributes = Pick<
  RunbookCell,
  'title' | 'instant' | 'range' | 'step' | 'refresh' | 'threshold' | 'unit'
> & {
  id: string | null;
};

export interface AttributeProblem {
  code:
    | 'unknown-cell-attribute'
    | 'invalid-cell-attribute'
    | 'duplicate-cell-attribute'
    | 'conflicting-cell-attributes';
  message: string;
  /** Offset of the offending attribute in the parsed text. */
  offset: number;
}

const CELL_ID = /^[a-z0-9][a-z0-9._-]*$/;

type Parsed<T> = { value: T } | { error: string };

/** Each attribute's reading of its raw value (`null` = written as a bare flag). */
const ATTRIBUTES = {
  id: (raw: string | null): Parsed<string> =>
    raw !== null && CELL_ID.test(raw)
      ? { value: raw }
      : { error: 'must be a slug like "error-ratio" ([a-z0-9][a-z0-9._-]*)' },
  title: (raw: string | null): Parsed<string> =>
    raw?.trim() ? { value: raw.trim() } : { error: 'needs a non-empty value, e.g. title="5xx ratio"' },
  instant: (raw: string | null): Parsed<boolean> =>
    raw === null ? { value: true } : { error: 'is a flag: write `instant` without a value' },
  range: (raw: string | null) => positiveDuration(raw),
  step: (raw: string | null) => positiveDuration(raw),
  refresh: (raw: string | null) => positiveDuration(raw),
  threshold: (raw: string | null): Parsed<number> => {
    const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(value) ? { value } : { error: 'must be a number, e.g. threshold=0.01' };
  },
  unit: (raw: string | null): Parsed<string> =>
    raw?.trim() ? { value: raw.trim() } : { error: 'needs a value, e.g. unit=percentunit' },
} satisfies Record<keyof CellAttributes, (raw: string | null) => Parsed<unknown>>;

type AttributeName = keyof typeof ATTRIBUTES;
const KNOWN = Object.keys(ATTRIBUTES) as AttributeName[];

function positiveDuration(raw: string | null): Parsed<number> {
  const seconds = raw === null ? null : parsePrometheusDuration(raw);
  return seconds ? { value: seconds } : { error: 'must be a positive Prometheus duration, e.g. 30s, 5m, 1h30m' };
}

/**
 * Reads `title="5xx ratio by route" range=1h step=1m instant` (the info string after
 * `promql`). Values are "quoted" (with \" and \\ escapes) or bare; a name alone is a flag.
 */
export function parseCellAttributes(text: string): { attributes: CellAttributes; problems: AttributeProblem[] } {
  const attributes: CellAttributes = {
    id: null,
    title: null,
    instant: false,
    range: null,
    step: null,
    refresh: null,
    threshold: null,
    unit: null,
  };
  const problems: AttributeProblem[] = [];
  const offsets = new Map<AttributeName, number>();

  for (const written of tokenize(text, problems)) {
    const { name, raw, offset } = written;
    if (!isKnown(name)) {
      problems.push({
        code: 'unknown-cell-attribute',
        message: `unknown cell attribute "${name}" (known: ${KNOWN.join(', ')})`,
        offset,
      });
      continue;
    }
    if (offsets.has(name)) {
      problems.push({ code: 'duplicate-cell-attribute', message: `cell attribute "${name}" is given twice`, offset });
      continue;
    }
    offsets.set(name, offset);
    const parsed = ATTRIBUTES[name](raw);
    if ('error' in parsed)
      problems.push({ code: 'invalid-cell-attribute', message: `${name} ${parsed.error}`, offset });
    else Object.assign(attributes, { [name]: parsed.value });
  }

  if (attributes.instant && (attributes.range !== null || attributes.step !== null)) {
    problems.push({
      code: 'conflicting-cell-attributes',
      message: 'an instant cell has no range or step: drop `instant` or drop range/step',
      offset: offsets.get('instant') ?? 0,
    });
  }
  return { attributes, problems };
}

function isKnown(name: string): name is AttributeName {
  return Object.hasOwn(ATTRIBUTES, name);
}

export interface WrittenAttribute {
  name: string;
  raw: string | null;
  offset: number;
}

const NAME = /[^\s="]+/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const BARE = /[^\s"]+/y;
const SEPARATOR = /\s+|$/y;

/** Splits the text into attributes; stops at the first malformed one (there is no reliable way to resync). */
export function tokenize(text: string, problems: AttributeProblem[]): WrittenAttribute[] {
  const found: WrittenAttribute[] = [];
  let at = text.length - text.trimStart().length;
  const fail = (message: string, offset: number) => {
    problems.push({ code: 'invalid-cell-attribute', message, offset });
    return found;
  };
  while (at < text.length) {
    const offset = at;
    const name = stickyMatch(NAME, text, at);
    if (!name) return fail(`expected an attribute name at "${text.slice(at, at + 12)}"`, at);
    at += name[0].length;
    let raw: string | null = null;
    if (text[at] === '=') {
      at += 1;
      const value = text[at] === '"' ? stickyMatch(QUOTED, text, at) : stickyMatch(BARE, text, at);
      if (!value) {
        return fail(
          text[at] === '"' ? `${name[0]}: unterminated quoted value` : `${name[0]}: missing value after "="`,
          offset,
        );
      }
      raw = value[1] === undefined ? value[0] : value[1].replace(/\\(.)/g, '$1');
      at += value[0].length;
    }
    const separator = stickyMatch(SEPARATOR, text, at);
    if (!separator) return fail(`${name[0]}: expected a space before "${text.slice(at, at + 12)}"`, at);
    at += separator[0].length;
    found.push({ name: name[0], raw, offset });
  }
  return found;
}

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}
