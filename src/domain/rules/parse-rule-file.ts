import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair, type Scalar } from 'yaml';
import type { Problem } from '../runbooks/runbook.js';
import { parsePromql } from '../runbooks/promql-syntax.js';
import { checkExpression } from './check-expression.js';
import { extractThresholds } from '../tuning/extract-thresholds.js';
import { analyzeGoTemplate } from './go-template.js';
import { metricNames } from './metric-names.js';
import { exactOutputLabelNames, outputLabelNames } from './output-labels.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { positionInScalar, type SourcePosition } from './yaml-scalar-position.js';

export interface ParsedRule {
  kind: 'alert' | 'record';
  /** The alertname or the recorded metric name. */
  name: string;
  group: string;
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
  /** Static labels: the group's `labels` overlaid with the rule's own. */
  labels: Record<string, string>;
  /** Label names the expression's series carry (approximated, see outputLabelNames), sorted; null when unknown. */
  outputLabels: string[] | null;
  annotations: Record<string, string>;
  /**
   * The values the expression compares with constants, and the metrics each compares (see
   * extractThresholds): read once here, so checks of cached rules need no PromQL parser.
   */
  thresholds: { value: number; text: string; operator: string; metrics: string[] }[];
  /** Of the `alert:`/`record:` key (of the rule itself when it has neither). */
  position: SourcePosition;
  /** Of the expression's first character. */
  exprPosition: SourcePosition;
}

export interface ParsedRuleFile {
  path: string;
  rules: ParsedRule[];
  problems: Problem[];
}

/**
 * Reads a Prometheus rule file, or Kubernetes manifests holding `PrometheusRule`
 * resources (`spec.groups`, any number of YAML documents; other kinds are skipped).
 * As strict as promtool where a mistake would make Prometheus reject or silently
 * misread the file: unknown keys, `record` with `for`, missing `expr`, bad
 * durations, unparsable PromQL. Never throws; every problem carries line:column.
 */
export function parseRuleFile(input: { path: string; content: string }): ParsedRuleFile {
  const reader = new RuleFileReader(input.content);
  reader.read();
  const problems = reader.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { path: input.path, rules: reader.rules, problems };
}

const GROUP_FIELDS = ['name', 'interval', 'query_offset', 'limit', 'labels', 'rules'];
const RULE_FIELDS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];
const NOT_IN_RECORDING_RULES = ['for', 'keep_firing_for', 'annotations'];
/** Prometheus' label names (model.LabelName.IsValid, as promtool 2.x checks them) and metric names. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

type Fields = Map<string, Pair<Node, Node | null>>;

class RuleFileReader {
  readonly rules: ParsedRule[] = [];
  readonly problems: Problem[] = [];
  private readonly lineCounter = new LineCounter();

  constructor(private readonly content: string) {}

  read(): void {
    // The failsafe schema reads every scalar as the string it spells, as Go's yaml
    // does for string fields: `expr: 1.10` stays "1.10", `severity: on` stays "on".
    const documents = parseAllDocuments(this.content, { lineCounter: this.lineCounter, schema: 'failsafe' });
    let ruleResources = 0;
    let plainRuleDocuments = 0;
    for (const document of documents) {
      for (const error of document.errors) this.reportYaml(error, 'error');
      for (const warning of document.warnings) this.reportYaml(warning, 'warning');
      const root = document.contents;
      if (document.errors.some((error) => error.code !== 'DUPLICATE_KEY')) continue;
      if (root === null || (isScalar(root) && !root.value)) continue;
      if (!isMap(root)) {
        this.report(
          root,
          'invalid-field',
          'expected a rule file (a mapping with "groups") or a PrometheusRule resource',
        );
        continue;
      }
      const kindNode = root.get('kind', true);
      const kind = isScalar(kindNode) ? String(kindNode.value) : kindNode;
      if (kind === 'PrometheusRule') {
        ruleResources += 1;
        this.readResource(root);
      } else if (kind === undefined) {
        plainRuleDocuments += 1;
        if (plainRuleDocuments > 1) {
          this.report(
            root,
            'ignored-document',
            'Prometheus reads only the first YAML document of a rule file; it would ignore this one',
            'warning',
          );
        }
        this.readGroups(this.fieldsOf(root, ['groups'], 'rule file').get('groups')?.value, root);
      }
      // Any other Kubernetes kind in a manifest bundle is not ours to judge.
    }
    if (ruleResources + plainRuleDocuments === 0 && !this.problems.some((p) => p.severity === 'error')) {
      this.problems.push({
        severity: 'warning',
        code: 'no-rule-groups',
        message: 'no rule groups found (neither "groups" nor a PrometheusRule resource)',
        line: 1,
        column: 1,
      });
    }
  }

  private readResource(resource: Node): void {
    const spec = isMap(resource) ? (resource.get('spec', true) as Node | undefined) : undefined;
    if (!isMap(spec)) {
      this.report(spec ?? resource, 'invalid-field', 'PrometheusRule: "spec" must be a mapping with "groups"');
      return;
    }
    this.readGroups(this.fieldsOf(spec, ['groups'], 'PrometheusRule spec').get('groups')?.value, spec);
  }

  private readGroups(groups: Node | null | undefined, owner: Node): void {
    if (isScalar(groups) && !groups.value) return; // `groups:` with nothing under it, as Prometheus reads it
    if (!isSeq(groups)) {
      this.report(groups ?? owner, 'invalid-field', '"groups" must be a list of rule groups');
      return;
    }
    const seen = new Set<string>();
    groups.items.forEach((item, index) => {
      const group = item as Node;
      const where = `group ${index + 1}`;
      if (!isMap(group)) {
        this.report(group, 'invalid-field', `${where}: a rule group must be a mapping with "name" and "rules"`);
        return;
      }
      const fields = this.fieldsOf(group, GROUP_FIELDS, where);
      const name = this.stringField(fields, 'name', where)?.value ?? '';
      const named = name ? `group "${name}"` : where;
      if (!name) this.report(group, 'missing-field', `${where}: "name" must not be empty`);
      else if (seen.has(name))
        this.report(fields.get('name')?.value, 'duplicate-group', `group name "${name}" is repeated in the same file`);
      seen.add(name);
      this.durationField(fields, 'interval', named);
      this.durationField(fields, 'query_offset', named);
      const limit = this.stringField(fields, 'limit', named);
      if (limit && !/^\d+$/.test(limit.value)) {
        this.report(
          limit.node,
          'invalid-field',
          `${named}: "limit" must be a non-negative integer, not "${limit.value}"`,
        );
      }
      const groupLabels = this.stringMapField(fields, 'labels', named);
      const rules = fields.get('rules')?.value;
      if (!isSeq(rules)) {
        this.report(rules ?? group, 'invalid-field', `${named}: "rules" must be a list`);
        return;
      }
      rules.items.forEach((rule, ruleIndex) => this.readRule(rule as Node, name, groupLabels, ruleIndex));
    });
  }

  private readRule(node: Node, group: string, groupLabels: Record<string, string>, index: number): void {
    const nameNode = isMap(node) ? (node.get('alert', true) ?? node.get('record', true)) : undefined;
    const title = isScalar(nameNode) ? ` ("${String(nameNode.value)}")` : '';
    const where = `group "${group}", rule ${index + 1}${title}`;
    if (!isMap(node)) {
      this.report(node, 'invalid-field', `${where}: a rule must be a mapping with "alert" or "record" and "expr"`);
      return;
    }
    const fields = this.fieldsOf(node, RULE_FIELDS, where);
    const alert = this.stringField(fields, 'alert', where);
    const record = this.stringField(fields, 'record', where);
    const expr = this.stringField(fields, 'expr', where);
    const start = fields.get('alert')?.key ?? fields.get('record')?.key ?? node;

    if (alert && record)
      this.report(record.node, 'alert-and-record', `${where}: only one of "alert" and "record" may be set`);
    if (!alert?.value && !record?.value)
      this.report(start, 'missing-field', `${where}: one of "alert" or "record" must be set`);
    if (!expr?.value) this.report(expr?.node ?? start, 'missing-field', `${where}: field "expr" must be set`);
    if (record && !alert) this.checkRecordingRule(fields, record, where);
    const tree = expr?.value ? parsePromql(expr.value) : null;
    for (const problem of tree ? checkExpression(expr!.value, tree) : []) {
      const at = positionInScalar(expr!.node, problem.offset, this.content, this.lineCounter);
      this.problems.push({ severity: 'error', code: problem.code, message: `${where}: ${problem.message}`, ...at });
    }
    const forSeconds = this.durationField(fields, 'for', where);
    const keepFiringForSeconds = this.durationField(fields, 'keep_firing_for', where);
    const labels = { ...groupLabels, ...this.stringMapField(fields, 'labels', where) };
    const annotations = this.stringMapField(fields, 'annotations', where);

    const name = alert?.value || record?.value;
    if (alert?.value && !record) {
      // As Prometheus expands them: $labels are the series' labels, before the rule's own are added.
      const exact =
        tree && !checkExpression(expr!.value, tree).length ? exactOutputLabelNames(expr!.value, tree) : null;
      this.checkTemplates(fields, where, exact);
    }
    if (!name || !expr?.value || !tree || (alert && record)) return;
    const outputLabels = outputLabelNames(expr.value, tree);
    this.rules.push({
      kind: alert ? 'alert' : 'record',
      name,
      group,
      expr: expr.value,
      forSeconds,
      keepFiringForSeconds,
      labels,
      outputLabels: outputLabels && [...outputLabels].sort(),
      annotations,
      thresholds: extractThresholds(expr.value).thresholds.map(({ value, text, operator, observed }) => ({
        value,
        text,
        operator,
        metrics: metricNames(observed),
      })),
      position: this.positionOf(start),
      exprPosition: positionInScalar(expr.node, 0, this.content, this.lineCounter),
    });
  }

  private checkRecordingRule(fields: Fields, record: { value: string; node: Scalar }, where: string): void {
    for (const key of NOT_IN_RECORDING_RULES) {
      const pair = fields.get(key);
      if (pair) this.report(pair.key, 'invalid-field', `${where}: field "${key}" is not allowed in a recording rule`);
    }
    if (/[{}]/.test(record.value)) {
      this.report(record.node, 'invalid-field', `${where}: braces in a recording rule name; should they be in "expr"?`);
    } else if (record.value && !METRIC_NAME.test(record.value)) {
      this.report(record.node, 'invalid-field', `${where}: "${record.value}" is not a valid metric name`);
    }
  }

  /**
   * The Go templates of an alerting rule's labels and annotations: a syntax error
   * at its character, and labels read that the expression's series cannot carry
   * (when `seriesLabels`, the exact set, is known).
   */
  private checkTemplates(fields: Fields, where: string, seriesLabels: ReadonlySet<string> | null): void {
    for (const key of ['labels', 'annotations']) {
      const map = fields.get(key)?.value;
      if (!isMap(map)) continue;
      for (const pair of map.items as Pair<Node, Node | null>[]) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
        const field = `${key}.${String(pair.key.value)}`;
        const scalar = pair.value;
        const { problem, unknownFields, labelReads } = analyzeGoTemplate(String(scalar.value));
        const at = (offset: number) => positionInScalar(scalar, offset, this.content, this.lineCounter);
        if (problem) {
          this.problems.push({
            severity: 'error',
            code: 'template-syntax',
            message: `${where}: ${field}: ${problem.message}`,
            ...at(problem.offset),
          });
        }
        for (const unknown of unknownFields) {
          this.problems.push({
            severity: 'warning',
            code: 'template-unknown-field',
            message: `${where}: ${field}: ${unknown.message}; it would fail whenever the alert fires`,
            ...at(unknown.offset),
          });
        }
        if (!seriesLabels) continue;
        for (const read of labelReads) {
          if (seriesLabels.has(read.name)) continue;
          const carried = [...seriesLabels].sort().join(', ') || 'none';
          this.problems.push({
            severity: 'warning',
            code: 'template-unknown-label',
            message:
              `${where}: ${field} reads $labels.${read.name}, which the expression's series never carry ` +
              `(they have: ${carried}); it would render empty`,
            ...at(read.offset),
          });
        }
      }
    }
  }

  /** A mapping's entries by key, reporting keys outside `known` (promtool's KnownFields). */
  private fieldsOf(map: Node, known: readonly string[], where: string): Fields {
    const fields: Fields = new Map();
    if (!isMap(map)) return fields;
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (known.includes(key)) fields.set(key, pair);
      else this.report(pair.key, 'unknown-field', `${where}: unknown field "${key}" (allowed: ${known.join(', ')})`);
    }
    return fields;
  }

  private stringField(fields: Fields, key: string, where: string): { value: string; node: Scalar } | null {
    const node = fields.get(key)?.value;
    if (node === undefined || node === null) return null;
    if (!isScalar(node)) {
      this.report(node, 'invalid-field', `${where}: "${key}" must be a string`);
      return null;
    }
    return { value: String(node.value), node };
  }

  private durationField(fields: Fields, key: string, where: string): number {
    const field = this.stringField(fields, key, where);
    if (!field) return 0;
    const seconds = parsePrometheusDuration(field.value);
    if (seconds === null) {
      this.report(
        field.node,
        'invalid-duration',
        `${where}: "${key}" must be a Prometheus duration such as 30s, 5m or 1h30m, not "${field.value}"`,
      );
      return 0;
    }
    return seconds;
  }

  private stringMapField(fields: Fields, key: string, where: string): Record<string, string> {
    const node = fields.get(key)?.value;
    const entries: Record<string, string> = {};
    if (node === undefined || node === null || (isScalar(node) && !node.value)) return entries;
    if (!isMap(node)) {
      this.report(node, 'invalid-field', `${where}: "${key}" must be a mapping of names to strings`);
      return entries;
    }
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!LABEL_NAME.test(name) || name === '__name__')
        this.report(pair.key, 'invalid-field', `${where}: "${name}" is not a valid name in ${key}`);
      else if (pair.value !== null && !isScalar(pair.value))
        this.report(pair.value, 'invalid-field', `${where}: ${key}.${name} must be a string`);
      else entries[name] = pair.value === null ? '' : String(pair.value.value);
    }
    return entries;
  }

  private reportYaml(
    error: { code: string; message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
    severity: Problem['severity'],
  ) {
    const start = error.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml appends " at line L, column C:" and a code frame; the problem carries the position itself.
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    this.problems.push({ severity, code: 'yaml-syntax', message, line: start.line, column: start.col });
  }

  private report(
    node: Node | null | undefined,
    code: string,
    message: string,
    severity: Problem['severity'] = 'error',
  ): void {
    this.problems.push({ severity, code, message, ...this.positionOf(node) });
  }

  private positionOf(node: Node | null | undefined): SourcePosition {
    const { line, col } = this.lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  }
}
