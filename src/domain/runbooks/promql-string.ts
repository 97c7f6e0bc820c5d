/**
 * Encoding values for PromQL string literals. PromQL strings follow Go's rules:
 * a backslash escapes, the literal's own quote must be escaped, and a raw newline
 * ends the query with "unterminated quoted string".
 */

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text to put between `quote`s so the literal's value is exactly `value`. */
export function escapeStringContent(value: string, quote: '"' | "'"): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped
  return value.replace(/[\\"'\x00-\x1f\x7f]/g, (char) => {
    if (char === '"' || char === "'") return char === quote ? `\\${char}` : char;
    return NAMED_ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** RE2's QuoteMeta: the regex that matches `value` literally (Prometheus regexes are RE2). */
export function quoteRegexMeta(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** label_replace's replacement expands `$1`/`${name}`; `$$` is a literal dollar. */
export function escapeReplacementDollars(value: string): string {
  return value.replaceAll('$', '$$$$');
}
