import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import type { Pair, Scalar } from 'yaml';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { extractThresholds } from './extract-thresholds.js';
import { formatDuration, formatThreshold } from './format-duration.js';
import { locateThresholds } from './locate-thresholds.js';
import { alertingRuleNodes, type AlertingRuleNodes } from './rule-file-nodes.js';

/** What a decision changes; absent fields stay as they are. */
export interface RuleChange {
  thresholdIndex?: number;
  threshold?: number;
  forSeconds?: number;
  keepFiringForSeconds?: number;
  /** The whole expression; exclusive with `threshold`. */
  expr?: string;
}

/** The rule's definition when the decision was made: what the change is re-based from. */
export interface RuleBase {
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
}

export interface RuleTarget {
  group: string;
  alert: string;
  /** The definition the change was made against; without it, the rule as it is now is the base. */
  base?: RuleBase;
  /** Line of the `alert:` key: tells apart rules of one group that share an alertname and an expression. */
  line?: number;
}

export type PatchOutcome =
  | { kind: 'patched'; content: string; diff: string; rebased: boolean }
  /** The file already holds the change's values. */
  | { kind: 'unchanged' }
  /** The rule changed since, in a field the change touches, or cannot be found or edited without a guess. */
  | { kind: 'conflict'; reason: string };

interface Edit {
  from: number;
  to: number;
  text: string;
}

/**
 * Edits one alerting rule of a rule file as a person would: the threshold
 * literal inside the expression, the `for` / `keep_firing_for` values (added
 * under the expression when absent), or the expression scalar in its own
 * style. Everything else — comments, key order, quoting, block scalars,
 * PrometheusRule wrappers — is left byte for byte. A field that no longer holds
 * the value the change was made against is a conflict, never overwritten.
 */
export function patchRuleFile(
  file: { path: string; content: string },
  target: RuleTarget,
  change: RuleChange,
): PatchOutcome {
  const { content } = file;
  const candidates = alertingRuleNodes(content).filter(
    (rule) => rule.group === target.group && rule.alert === target.alert,
  );
  const sameBase = candidates.filter(
    (candidate) => !target.base || String(candidate.expr.value).trim() === target.base.expr.trim(),
  );
  const rule =
    candidates.length === 1
      ? candidates[0]
      : sameBase.length === 1
        ? sameBase[0]
        : sameBase.find((candidate) => candidate.line === target.line);
  if (!rule) {
    const found = candidates.length === 0 ? 'no' : `${candidates.length}`;
    return { kind: 'conflict', reason: `${found} alerting rule "${target.alert}" in group "${target.group}" matches` };
  }
  if (rule.rule.flow)
    return { kind: 'conflict', reason: 'the rule is written as a flow mapping ({…}); edit it by hand' };

  const current = currentDefinition(rule);
  const base = target.base ?? current;
  const edits: Edit[] = [];
  let rebased = current.expr.trim() !== base.expr.trim();

  if (change.expr !== undefined && current.expr.trim() !== change.expr.trim()) {
    if (current.expr.trim() !== base.expr.trim())
      return { kind: 'conflict', reason: 'the expression changed since the decision' };
    edits.push(replaceScalar(content, rule.expr, change.expr));
    rebased = false;
  }
  if (change.threshold !== undefined) {
    const edit = thresholdEdit(content, rule, base, change.thresholdIndex ?? 0, change.threshold);
    if ('reason' in edit) return { kind: 'conflict', reason: edit.reason };
    if (edit.edit) edits.push(edit.edit);
  }
  for (const [key, wanted, now, was] of [
    ['for', change.forSeconds, current.forSeconds, base.forSeconds],
    ['keep_firing_for', change.keepFiringForSeconds, current.keepFiringForSeconds, base.keepFiringForSeconds],
  ] as const) {
    if (wanted === undefined || wanted === now) continue;
    if (now !== was)
      return {
        kind: 'conflict',
        reason: `"${key}" is ${formatDuration(now)} now, the decision was made against ${formatDuration(was)}`,
      };
    edits.push(durationEdit(content, rule, key, wanted));
  }
  rebased ||= current.forSeconds !== base.forSeconds || current.keepFiringForSeconds !== base.keepFiringForSeconds;
  if (edits.length === 0) return { kind: 'unchanged' };

  const patched = applyEdits(content, edits);
  const patch = structuredPatch(file.path, file.path, content, patched, undefined, undefined, { context: 3 });
  patch.oldFileName = `a/${file.path}`;
  patch.newFileName = `b/${file.path}`;
  return { kind: 'patched', content: patched, diff: formatPatch(patch, FILE_HEADERS_ONLY), rebased };
}

/** The rule's definition as parseRuleFile reads it (durations included). */
export function currentDefinition(rule: AlertingRuleNodes): RuleBase {
  return {
    expr: String(rule.expr.value),
    forSeconds: durationSeconds(rule.for),
    keepFiringForSeconds: durationSeconds(rule.keepFiringFor),
  };
}

function durationSeconds(pair: Pair<Scalar, Scalar | null> | null): number {
  const text = pair?.value?.value;
  return text === undefined || text === null || text === '' ? 0 : (parsePrometheusDuration(String(text)) ?? 0);
}

function thresholdEdit(
  content: string,
  rule: AlertingRuleNodes,
  base: RuleBase,
  index: number,
  value: number,
): { edit: Edit | null } | { reason: string } {
  const located = locateThresholds(content, rule);
  const threshold = located.thresholds[index];
  if (!threshold)
    return {
      reason: `the rule has no threshold ${index} (${located.noThreshold ?? `${located.thresholds.length} found`})`,
    };
  const was = extractThresholds(base.expr).thresholds[index];
  if (!was || was.observed !== threshold.observed || was.operator !== threshold.operator) {
    return { reason: `threshold ${index} no longer compares the same expression` };
  }
  if (Object.is(threshold.value, value)) return { edit: null };
  if (!Object.is(threshold.value, was.value)) {
    return { reason: `threshold ${index} is ${threshold.text} now, the decision was made against ${was.text}` };
  }
  if (!threshold.patchable || !threshold.source) {
    return {
      reason: `threshold ${index} is written as "${threshold.text}" (arithmetic or an escape): edit it by hand`,
    };
  }
  return { edit: { from: threshold.source.from, to: threshold.source.to, text: formatThreshold(value) } };
}

function durationEdit(content: string, rule: AlertingRuleNodes, key: 'for' | 'keep_firing_for', seconds: number): Edit {
  const text = formatDuration(seconds);
  const existing = key === 'for' ? rule.for : rule.keepFiringFor;
  if (existing?.value) {
    const [start, end] = existing.value.range!;
    const quoted = existing.value.type === 'QUOTE_DOUBLE' || existing.value.type === 'QUOTE_SINGLE';
    return quoted ? { from: start + 1, to: end - 1, text } : { from: start, to: end, text };
  }
  if (existing) {
    // `for:` with nothing after it: the value goes right after the colon.
    const at = existing.key.range![1];
    const colon = content.indexOf(':', at);
    return { from: colon + 1, to: colon + 1, text: ` ${text}` };
  }
  // Added on its own line under the expression (`keep_firing_for` under `for` when there is one), at the keys' indentation.
  const after = key === 'keep_firing_for' && rule.for?.value ? rule.for.value : rule.expr;
  const lineEnd = endOfLastLine(content, after.range![1]);
  const keyStart = rule.alertKey.range![0];
  const indent = keyStart - (content.lastIndexOf('\n', keyStart - 1) + 1);
  const prefix = lineEnd === content.length && !content.endsWith('\n') ? '\n' : '';
  return { from: lineEnd, to: lineEnd, text: `${prefix}${' '.repeat(indent)}${key}: ${text}\n` };
}

/** The offset just past the newline that ends the line holding the node's last character. */
function endOfLastLine(content: string, nodeEnd: number): number {
  let last = nodeEnd - 1;
  while (last > 0 && /\s/.test(content[last]!)) last--;
  const newline = content.indexOf('\n', last);
  return newline === -1 ? content.length : newline + 1;
}

/** A new value for a scalar, written in the scalar's own style (a plain one is quoted when it has to be). */
function replaceScalar(content: string, scalar: Scalar, value: string): Edit {
  const [start, end] = scalar.range!;
  const raw = content.slice(start, end);
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    const headerEnd = raw.indexOf('\n') + 1;
    const firstContent =
      raw
        .slice(headerEnd)
        .split('\n')
        .find((line) => line.trim() !== '') ?? '';
    const indent = firstContent.slice(0, firstContent.search(/\S/));
    const lines = value.replace(/\n$/, '').split('\n');
    // Folded scalars join single line breaks with spaces: a blank line between keeps PromQL's line structure.
    const body = lines
      .map((line) => (line === '' ? '' : `${indent}${line}`))
      .join(scalar.type === 'BLOCK_FOLDED' ? '\n\n' : '\n');
    const trailing = raw.endsWith('\n') ? '\n' : '';
    return { from: start + headerEnd, to: end, text: `${body}${trailing}` };
  }
  if (scalar.type === 'QUOTE_SINGLE' && !value.includes('\n'))
    return { from: start, to: end, text: `'${value.replaceAll("'", "''")}'` };
  if (scalar.type === 'PLAIN' && isSafePlain(value)) return { from: start, to: end, text: value };
  return { from: start, to: end, text: JSON.stringify(value) };
}

/** A one-line plain scalar YAML reads back as the same string (no indicator first, no `: ` or ` #`). */
function isSafePlain(value: string): boolean {
  return (
    value !== '' &&
    !value.includes('\n') &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
    !/\s$/.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #')
  );
}

function applyEdits(content: string, edits: Edit[]): string {
  let result = content;
  for (const edit of [...edits].sort((a, b) => b.from - a.from)) {
    result = result.slice(0, edit.from) + edit.text + result.slice(edit.to);
  }
  return result;
}
