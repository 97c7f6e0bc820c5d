import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';

/** One alerting rule's YAML nodes, with source ranges: what extraction spans and patches are made of. */
export interface AlertingRuleNodes {
  group: string;
  /** The group's `interval` as written, null when it uses the global evaluation interval. */
  groupInterval: string | null;
  alert: string;
  /** 1-based line of the `alert:` key, as ParsedRule.position reports it. */
  line: number;
  rule: YAMLMap;
  alertKey: Scalar;
  expr: Scalar;
  for: Pair<Scalar, Scalar | null> | null;
  keepFiringFor: Pair<Scalar, Scalar | null> | null;
}

/**
 * The alerting rules of a rule file or of the PrometheusRule resources in it,
 * as yaml nodes (failsafe schema, as parseRuleFile reads them). Validation is
 * parseRuleFile's job: a shape it would reject is simply skipped here.
 */
export function alertingRuleNodes(content: string): AlertingRuleNodes[] {
  const lineCounter = new LineCounter();
  const found: AlertingRuleNodes[] = [];
  for (const document of parseAllDocuments(content, { lineCounter, schema: 'failsafe' })) {
    const root = document.contents;
    if (!isMap(root)) continue;
    const kind = root.get('kind') as unknown;
    const owner = kind === 'PrometheusRule' ? root.get('spec', true) : kind === undefined ? root : null;
    const groups = isMap(owner) ? owner.get('groups', true) : null;
    if (!isSeq(groups)) continue;
    for (const group of groups.items) {
      if (!isMap(group)) continue;
      const name = String(group.get('name') ?? '');
      const interval = group.get('interval') as unknown;
      const rules = group.get('rules', true);
      if (!isSeq(rules)) continue;
      for (const rule of rules.items) {
        const nodes = isMap(rule)
          ? ruleNodes(rule, name, typeof interval === 'string' ? interval : null, lineCounter)
          : null;
        if (nodes) found.push(nodes);
      }
    }
  }
  return found;
}

function ruleNodes(
  rule: YAMLMap,
  group: string,
  groupInterval: string | null,
  lineCounter: LineCounter,
): AlertingRuleNodes | null {
  const pairs = new Map<string, Pair<Scalar, Scalar | null>>();
  for (const pair of rule.items as Pair<Node, Node | null>[]) {
    if (isScalar(pair.key) && (pair.value === null || isScalar(pair.value))) {
      pairs.set(String(pair.key.value), pair as Pair<Scalar, Scalar | null>);
    }
  }
  const alert = pairs.get('alert');
  const expr = pairs.get('expr')?.value;
  if (!alert?.value || !expr) return null;
  return {
    group,
    groupInterval,
    alert: String(alert.value.value),
    line: lineCounter.linePos(alert.key.range?.[0] ?? 0).line,
    rule,
    alertKey: alert.key,
    expr,
    for: pairs.get('for') ?? null,
    keepFiringFor: pairs.get('keep_firing_for') ?? null,
  };
}
