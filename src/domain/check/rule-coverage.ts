import { isOurRunbookUrl, runbookFileNamesFor, runbookIdNamedByUrl } from '../runbooks/link-runbook.js';
import type { ParsedRunbook } from '../runbooks/runbook.js';
import type { CheckProblem } from './check-problem.js';
import { frontmatterLine, type LocatedRule, type LocatedRunbook } from './check-subjects.js';
import { mayMatch, type RuleLinks } from './rule-links.js';

/**
 * Rules ↔ runbooks, both ways: every alerting rule has a runbook, every
 * `runbook_url` of ours resolves, every alert a runbook claims exists.
 */
export function checkRuleCoverage(
  rules: readonly LocatedRule[],
  runbooks: readonly LocatedRunbook[],
  links: RuleLinks,
  runbooksDir: string,
): CheckProblem[] {
  const catalogue = runbooks.map(({ runbook }) => runbook);
  return [
    ...rules.flatMap((rule) => checkRule(rule, catalogue, links, runbooksDir)),
    ...runbooks.flatMap((runbook) => checkClaims(runbook, rules, links)),
  ];
}

function checkRule(
  located: LocatedRule,
  catalogue: readonly ParsedRunbook[],
  links: RuleLinks,
  runbooksDir: string,
): CheckProblem[] {
  const { rule, file } = located;
  const link = links.linkOf.get(located) ?? null;
  const url = rule.annotations.runbook_url?.trim() ?? '';
  const brokenUrl = url !== '' && isOurRunbookUrl(url) && links.finder.idForUrl(url) === null;
  const problem = (code: string, message: string): CheckProblem[] => [
    { file, ...rule.position, severity: 'error', code, message },
  ];

  if (brokenUrl && link?.kind === 'runbook') {
    return problem(
      'runbook-url-unresolved',
      `alert ${rule.name}: runbook_url "${url}" names no runbook in ${runbooksDir} ` +
        `(the alert is served by "${link.id}" via ${link.via}); fix or remove the annotation`,
    );
  }
  if (brokenUrl) {
    return problem(
      'missing-runbook',
      `alert ${rule.name} has no runbook: its runbook_url "${url}" names no runbook in ${runbooksDir}; ` +
        `add ${runbooksDir}/${runbookIdNamedByUrl(url)}.md or point runbook_url at an existing runbook`,
    );
  }
  // One of our runbooks, or a runbook_url to somebody else's page: served either way.
  if (link) return [];

  const partial = catalogue.filter((runbook) => runbook.alerts.includes(rule.name) && mayMatch(runbook, located));
  const why =
    partial.length > 0
      ? `${partial.map((r) => `"${r.id}" (match: ${describeMatch(r)})`).join(', ')} only serve${partial.length === 1 ? 's' : ''} some of its label values`
      : 'no runbook lists it under alerts:, none is named after it, and it has no runbook_url';
  const fileName = runbookFileNamesFor(rule.name).at(-1);
  return problem(
    'missing-runbook',
    `alert ${rule.name} has no runbook: ${why}; add ${runbooksDir}/${fileName} or list "${rule.name}" under alerts: in a runbook`,
  );
}

function checkClaims(
  { file, runbook }: LocatedRunbook,
  rules: readonly LocatedRule[],
  links: RuleLinks,
): CheckProblem[] {
  const served = new Set((links.rulesOf.get(runbook.id) ?? []).map(({ rule }) => rule.name));
  return runbook.alerts
    .filter((alertname) => !served.has(alertname))
    .map((alertname) => {
      const sameName = rules.filter(({ rule }) => rule.name === alertname);
      const message =
        sameName.length === 0
          ? `runbook serves alert ${alertname}, but no alerting rule defines it (renamed or removed?)`
          : `runbook serves alert ${alertname}, but match (${describeMatch(runbook)}) excludes every ${alertname} rule (${sameName.map((r) => `${r.file}:${r.rule.position.line}`).join(', ')})`;
      return {
        file,
        severity: 'warning',
        code: 'orphan-runbook',
        message,
        line: frontmatterLine(runbook, 'alerts', alertname),
        column: 1,
      } satisfies CheckProblem;
    });
}

function describeMatch(runbook: Pick<ParsedRunbook, 'match'>): string {
  return runbook.match.map(({ label, op, value }) => `${label}${op}"${value}"`).join(', ');
}
