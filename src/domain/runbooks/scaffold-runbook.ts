import { expressionChildren, type PromqlNode } from '../rules/check-expression.js';
import type { ParsedRule } from '../rules/parse-rule-file.js';
import { extractThresholds } from '../tuning/extract-thresholds.js';
import { formatDuration, formatThreshold } from '../tuning/format-duration.js';
import { RUNBOOK_ID } from './frontmatter.js';
import { runbookFileNamesFor, runbookIdNamedByUrl } from './link-runbook.js';
import { parsePromql } from './promql-syntax.js';

export interface ScaffoldedRunbook {
  /** Also the file's path (`<id>.md`): what the rule's runbook_url names, or the name it finds by itself. */
  id: string;
  content: string;
}

/** Points per chart: enough for a readable line, far below Prometheus' 11,000. */
const POINTS = 300;
/** Nice steps, so the chart's points fall on round times. */
const STEPS = [15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400];
/** A chart shows the alert's `for` several times over, at least an hour, at most a week. */
const FOR_MULTIPLE = 12;
const MIN_RANGE = 3_600;
const MAX_RANGE = 7 * 86_400;
/** Labels that name who answers an alert, in the order they are looked for. */
const OWNER_LABELS = ['owner', 'team'];

/**
 * A first runbook for an alert, written from its alerting rules (one name, maybe
 * several severities): the frontmatter that links it, the description as its
 * Meaning, a chart of the rule's own expression with the threshold line, charts
 * of the expression's inputs (ratio parts, histogram buckets), and steps to fill
 * in. Everything a responder needs is marked as a stub to replace.
 */
export function scaffoldRunbook(rules: readonly ParsedRule[]): ScaffoldedRunbook {
  const rule = rules[0];
  if (!rule) throw new Error('scaffoldRunbook needs at least one rule');
  // Where the rule's runbook_url points, if it names one of ours; else the file name the alert finds by itself.
  const named = runbookIdNamedByUrl(rule.annotations.runbook_url?.trim() ?? '');
  const id =
    named && RUNBOOK_ID.test(named) ? named : (runbookFileNamesFor(rule.name).at(-1) ?? rule.name).replace(/\.md$/, '');
  const title = plainText(rule.annotations.summary ?? '') || rule.name;
  const owner = OWNER_LABELS.map((label) => rules.find((r) => r.labels[label])?.labels[label]).find(Boolean);
  const frontmatter = [
    '---',
    `id: ${id}`,
    `title: ${JSON.stringify(title)}`,
    `alerts: [${JSON.stringify(rule.name)}]`,
    ...(owner ? [`owner: ${JSON.stringify(owner)}`] : []),
    '---',
  ];
  const description = plainText(rule.annotations.description ?? rule.annotations.message ?? '');
  const meaning = description || `${rule.name} fires when ${inlineCode(rule.expr)} holds.`;
  const sections = [
    frontmatter.join('\n'),
    `# ${title}`,
    `## Meaning\n\n${meaning}\n\n${firingConditions(rules)}`,
    '## Impact\n\nTODO: who notices, and what they cannot do, while this alert fires.',
    `## Diagnosis\n\n${cells(rule).join('\n\n')}\n\n` +
      '- [ ] Note when the value crossed the threshold, and what changed then (deploys, traffic, config)\n' +
      '- [ ] Find which series (instances, routes, jobs) are affected, and which are not\n' +
      '- [ ] TODO: the next check an experienced responder would make',
    '## Mitigation\n\n' +
      '- [ ] TODO: the quickest safe way to stop the harm (roll back, fail over, scale out)\n' +
      '- [ ] TODO: how to confirm it worked: the chart above drops back under the threshold\n' +
      '- [ ] Open a follow-up for the cause',
  ];
  return { id, content: `${sections.join('\n\n')}\n` };
}

/** `for` and severity of each rule of the alert, in a sentence each. */
function firingConditions(rules: readonly ParsedRule[]): string {
  const lines = rules.map((rule) => {
    const severity = rule.labels.severity ? `**${rule.labels.severity}**: ` : '';
    const duration = rule.forSeconds > 0 ? ` for ${formatDuration(rule.forSeconds)}` : '';
    return `- ${severity}${inlineCode(rule.expr)}${duration}`;
  });
  return [...new Set(lines)].join('\n');
}

/** The rule's own expression with its threshold, then each input the expression combines. */
function cells(rule: ParsedRule): string[] {
  // The outermost comparison: the one whose left-hand side is the whole alerting expression.
  const [threshold] = extractThresholds(rule.expr).thresholds.sort(
    (a, b) => b.observedSpan.to - b.observedSpan.from - (a.observedSpan.to - a.observedSpan.from),
  );
  const observed = threshold ? threshold.observed : rule.expr.trim();
  // Where the observed part starts on its line: its later lines are indented relative to that.
  const column = threshold
    ? threshold.observedSpan.from - (rule.expr.lastIndexOf('\n', threshold.observedSpan.from - 1) + 1)
    : 0;
  const window = chartWindow(rule.forSeconds);
  const main = cell(
    rule.name,
    dedent(observed, column),
    `${window}${threshold && !threshold.bool && Number.isFinite(threshold.value) ? ` threshold=${formatThreshold(threshold.value)}` : ''}`,
  );
  return [
    main,
    ...inputsOf(observed).map(({ title, query, column: at }) => cell(title, dedent(query, column + at), window)),
  ];
}

function cell(title: string, query: string, attributes: string): string {
  const fence = query.includes('```') ? '~~~' : '```';
  return `${fence}promql title=${JSON.stringify(title)} ${attributes}\n${query}\n${fence}`;
}

/** A range that shows the `for` several times over, and a step giving about 300 points. */
function chartWindow(forSeconds: number): string {
  const range = Math.min(MAX_RANGE, Math.max(MIN_RANGE, FOR_MULTIPLE * forSeconds));
  const step = STEPS.find((candidate) => range / candidate <= POINTS) ?? STEPS.at(-1)!;
  return `range=${formatDuration(range)} step=${formatDuration(step)}`;
}

/** The numerator and denominator of a ratio, the buckets of a histogram_quantile; `column` where each starts on its line. */
function inputsOf(expr: string): { title: string; query: string; column: number }[] {
  const tree = parsePromql(expr);
  const root = unwrap(expressionChildren(tree.topNode)[0]);
  if (!root) return [];
  const text = (node: PromqlNode) => expr.slice(node.from, node.to);
  const columnOf = (node: PromqlNode) => node.from - (expr.lastIndexOf('\n', node.from - 1) + 1);
  if (root.name === 'BinaryExpr' && root.getChild('Div')) {
    const [numerator, denominator] = expressionChildren(root).map(unwrap);
    if (numerator && denominator) {
      return [
        { title: 'Numerator', query: text(numerator), column: columnOf(numerator) },
        { title: 'Denominator', query: text(denominator), column: columnOf(denominator) },
      ];
    }
  }
  const inputs: { title: string; query: string; column: number }[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      if (ref.node.getChild('FunctionIdentifier')?.firstChild?.name !== 'HistogramQuantile') return;
      const buckets = expressionChildren(ref.node.getChild('FunctionCallBody'))[1];
      if (buckets) inputs.push({ title: 'Buckets', query: text(buckets), column: columnOf(buckets) });
    },
  });
  return inputs;
}

function unwrap(node: PromqlNode | undefined): PromqlNode | undefined {
  return node?.name === 'ParenExpr' ? unwrap(expressionChildren(node)[0]) : node;
}

/**
 * A sub-expression cut from a multi-line rule, starting at `column` of its first line: its later
 * lines lose that much indentation (or what they have), so the cell reads as the rule did.
 */
function dedent(query: string, column: number): string {
  const lines = query.trim().split('\n');
  const indents = lines
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => line.search(/\S/));
  const common = Math.min(column, ...indents);
  return [lines[0], ...lines.slice(1).map((line) => line.slice(common))].join('\n');
}

/** An expression on one line as markdown code; PromQL's raw strings use backticks, so the fence may need two. */
function inlineCode(expr: string): string {
  const flat = expr.trim().replace(/\s+/g, ' ');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

/** An annotation as prose: `{{ $labels.job }}` becomes `job`, other template actions go. */
function plainText(template: string): string {
  return template
    .replace(/\{\{-?\s*(?:\$labels|\.Labels)\.(\w+)\s*-?\}\}/g, '$1')
    .replace(/\{\{[^}]*\}\}/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
}
