/**
 * The value of a PromQL string literal (`"…"`, `'…'` or raw `` `…` ``) as
 * lezer-promql delimits it, or null when it holds an escape sequence: label
 * names never need one, so callers simply treat such a literal as unknown.
 */
export function promqlStringValue(literal: string): string | null {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') || !body.includes('\\') ? body : null;
}
