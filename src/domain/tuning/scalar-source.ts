import type { Scalar } from 'yaml';
import type { Span } from './extract-thresholds.js';

const WHITESPACE = /\s/;
const SINGLE_CHARACTER_ESCAPES = new Set([...'0abtnvfre "/\\N_LP\t']);
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Where a run of non-blank characters of a scalar's value (a number literal of
 * an expression) is written in the YAML source, for every scalar style: plain
 * and block scalars fold or strip only whitespace, and quoted ones turn each
 * escape into one character. Counting the non-blank value characters before the
 * run and walking the source the same way lands on it. Null when the source
 * there does not spell the run (an escape inside it): never a guessed span.
 */
export function sourceSpanInScalar(scalar: Scalar, source: string, valueSpan: Span): Span | null {
  const value = String(scalar.value);
  const text = value.slice(valueSpan.from, valueSpan.to);
  if (text === '' || WHITESPACE.test(text)) return null;
  let wanted = 0;
  for (let i = 0; i < valueSpan.from; i++) if (!WHITESPACE.test(value[i]!)) wanted++;

  const [start, end] = scalar.range ?? [0, 0];
  let at = start;
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') at = source.indexOf('\n', start) + 1;
  else if (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') at = start + 1;
  let seen = 0;
  while (at < end) {
    const width = encodedWidth(scalar.type, source, at);
    const character = decoded(scalar.type, source, at, width);
    if (character !== null && !WHITESPACE.test(character)) {
      if (seen === wanted)
        return source.slice(at, at + text.length) === text ? { from: at, to: at + text.length } : null;
      seen++;
    }
    at += width;
  }
  return null;
}

/** How many source characters make the value character at `at`. */
function encodedWidth(type: Scalar['type'], source: string, at: number): number {
  if (type === 'QUOTE_SINGLE' && source.startsWith("''", at)) return 2;
  if (type !== 'QUOTE_DOUBLE' || source[at] !== '\\') return 1;
  const escaped = source[at + 1] ?? '';
  return 2 + (HEX_ESCAPE_LENGTH[escaped] ?? 0);
}

/** The value character written at `at`, or null for a line continuation (`\` at a line's end) and unknown escapes. */
function decoded(type: Scalar['type'], source: string, at: number, width: number): string | null {
  if (type === 'QUOTE_SINGLE' && width === 2) return "'";
  if (type !== 'QUOTE_DOUBLE' || source[at] !== '\\') return source[at] ?? null;
  const escaped = source[at + 1] ?? '';
  if (escaped === '\n' || escaped === '\r') return null;
  if (HEX_ESCAPE_LENGTH[escaped]) return String.fromCodePoint(Number.parseInt(source.slice(at + 2, at + width), 16));
  if (!SINGLE_CHARACTER_ESCAPES.has(escaped)) return null;
  return (
    { n: '\n', t: '\t', r: '\r', '0': '\0', _: '\u00a0', N: '\u0085', L: '\u2028', P: '\u2029' }[escaped] ?? escaped
  );
}
