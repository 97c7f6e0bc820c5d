import { createHash } from 'node:crypto';
import { DomainError, NotFoundError } from '../errors.js';
import { parseRuleFile } from '../rules/parse-rule-file.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import type { NoThresholdReason } from './extract-thresholds.js';
import { locateThresholds, type LocatedThreshold } from './locate-thresholds.js';
import { alertingRuleNodes } from './rule-file-nodes.js';

/** An alerting rule as the service knows it: where it is written, what it compares, and which version it is. */
export interface KnownRule {
  alertname: string;
  group: string;
  file: string;
  line: number;
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
  /** The group's evaluation interval in seconds; null: the global one applies. */
  intervalSeconds: number | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  thresholds: LocatedThreshold[];
  noThreshold: NoThresholdReason | null;
  /** sha256 of what Prometheus evaluates (group, interval, alert, expr, for, keep_firing_for, labels): a decision records it. */
  version: string;
}

/** The alerting rules of one rule file or PrometheusRule manifest; a file with errors contributes the rules it could read. */
export function knownRulesOfFile(file: { path: string; content: string }): KnownRule[] {
  const parsed = parseRuleFile(file).rules.filter((rule) => rule.kind === 'alert');
  const nodes = alertingRuleNodes(file.content);
  return parsed.flatMap((rule) => {
    const node = nodes.find((candidate) => candidate.line === rule.position.line);
    if (!node) return [];
    const located = locateThresholds(file.content, node);
    const intervalSeconds = node.groupInterval === null ? null : parsePrometheusDuration(node.groupInterval);
    const definition = [
      rule.group,
      intervalSeconds,
      rule.name,
      rule.expr,
      rule.forSeconds,
      rule.keepFiringForSeconds,
      rule.labels,
    ];
    return [
      {
        alertname: rule.name,
        group: rule.group,
        file: file.path,
        line: rule.position.line,
        expr: rule.expr,
        forSeconds: rule.forSeconds,
        keepFiringForSeconds: rule.keepFiringForSeconds,
        intervalSeconds,
        labels: rule.labels,
        annotations: rule.annotations,
        thresholds: located.thresholds,
        noThreshold: located.noThreshold ?? null,
        version: createHash('sha256').update(JSON.stringify(definition)).digest('hex'),
      },
    ];
  });
}

/**
 * What picks one rule among those an alertname names: its group, its file, and the line its `- alert:` is on (a
 * warning/critical pair is often two rules of one group in one file; the 409's candidates list their lines).
 */
export interface RuleNarrowing {
  group?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
}

function narrowingText(narrow: RuleNarrowing): string {
  const parts = [
    narrow.group && `group "${narrow.group}"`,
    narrow.file && `file "${narrow.file}"`,
    narrow.line !== undefined && `line ${narrow.line}`,
  ].filter(Boolean);
  return `in ${parts.join(', ')}`;
}

/**
 * The one rule an alertname names, narrowed by group, file and line when
 * several share it (warning/critical pairs do): unknown is not_found, still
 * several is a conflict listing them.
 */
export function findRule(rules: readonly KnownRule[], alertname: string, narrow: RuleNarrowing = {}): KnownRule {
  const named = rules.filter((rule) => rule.alertname === alertname);
  if (named.length === 0) throw new NotFoundError(`alerting rule "${alertname}"`);
  const matching = named.filter(
    (rule) =>
      (!narrow.group || rule.group === narrow.group) &&
      (!narrow.file || rule.file === narrow.file) &&
      (narrow.line === undefined || rule.line === narrow.line),
  );
  if (matching.length === 0) throw new NotFoundError(`alerting rule "${alertname}" ${narrowingText(narrow)}`);
  if (matching.length > 1) {
    throw new DomainError(
      'conflict',
      `${matching.length} alerting rules are named "${alertname}": choose one by its group, file or line (the candidates)`,
      undefined,
      {
        candidates: matching.map((rule) => ({ group: rule.group, file: rule.file, line: rule.line })),
      },
    );
  }
  return matching[0]!;
}
