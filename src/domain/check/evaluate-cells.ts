import type { ParsedRule } from '../rules/parse-rule-file.js';
import { renderQuery, TemplateError, type TemplateVars } from '../runbooks/template-query.js';
import type { RunbookCell } from '../runbooks/runbook.js';
import type { CheckProblem } from './check-problem.js';
import { staticAlertLabels, type LocatedRunbook } from './check-subjects.js';
import type { RuleLinks } from './rule-links.js';

export type InstantQueryResult = { kind: 'series'; count: number } | { kind: 'rejected'; error: string };

/** Runs one PromQL instant query; throws only when Prometheus cannot be reached at all. */
export type InstantQuery = (query: string) => Promise<InstantQueryResult>;

/**
 * Runs every cell against a real Prometheus, filled in as it would be for an
 * alert of the rule the runbook serves: the rule's static labels, and for any
 * other placeholder its own name as a sample value. A rejected query is an
 * error; an empty result is a warning (the metric may not exist, or may simply
 * be quiet right now).
 */
export async function evaluateCells(input: {
  runbooks: readonly LocatedRunbook[];
  links: RuleLinks;
  query: InstantQuery;
  concurrency: number;
}): Promise<CheckProblem[]> {
  const jobs = input.runbooks.flatMap(({ file, runbook }) => {
    const rule = representativeRule(runbook.id, input.links);
    return runbook.cells.map((cell) => ({ file, cell, vars: sampleVars(cell, rule) }));
  });
  const problems: CheckProblem[] = [];
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const problem = await evaluateCell(job.cell, job.vars, input.query);
      if (problem) problems.push({ file: job.file, line: job.cell.line, column: 1, ...problem });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, worker));
  return problems;
}

async function evaluateCell(cell: RunbookCell, vars: TemplateVars, query: InstantQuery) {
  let rendered: string;
  try {
    rendered = renderQuery(cell.query, vars);
  } catch (error) {
    // The template's own problems are already reported by the parser.
    if (error instanceof TemplateError) return null;
    throw error;
  }
  const result = await query(rendered);
  if (result.kind === 'rejected') {
    return {
      severity: 'error' as const,
      code: 'query-failed',
      message: `cell "${cell.id}": Prometheus rejected the query: ${result.error}`,
    };
  }
  if (result.count === 0) {
    return {
      severity: 'warning' as const,
      code: 'empty-result',
      message: `cell "${cell.id}": the query returned no series (the metric may not exist)`,
    };
  }
  return null;
}

/** The first, by name, of the alerting rules the runbook serves. */
function representativeRule(runbookId: string, links: RuleLinks): ParsedRule | undefined {
  const rules = (links.rulesOf.get(runbookId) ?? []).map(({ rule }) => rule);
  return rules.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
}

function sampleVars(cell: RunbookCell, rule: ParsedRule | undefined): TemplateVars {
  const labels: Record<string, string> = rule ? staticAlertLabels(rule) : {};
  const annotations: Record<string, string> = { ...rule?.annotations };
  for (const { kind, name } of cell.placeholders) {
    if (kind === 'labels' && name && !Object.hasOwn(labels, name)) labels[name] = name;
    if (kind === 'annotations' && name && !Object.hasOwn(annotations, name)) annotations[name] = name;
  }
  return { labels, annotations, externalURL: 'externalURL' };
}
