import type { CheckProblem } from '../../domain/check/check-problem.js';
import { CHANGE_BACKTEST_WINDOW } from '../change-backtest-window.js';
import { plural, summaryLine, tuningVerdict, type CheckOutcome, type RunbookSummary } from './check-outcome.js';

/** Rows per table: a pull-request comment must stay readable (and under GitHub's 65,536 characters). */
const MAX_ROWS = 100;

/**
 * A pull-request comment: the verdict, the script permissions the change adds or widens (first,
 * for the reviewer), the runbooks the change touches (all of them without --changed-since) with
 * their cells and steps, every runbook's requested permissions, and the problems.
 */
export function formatMarkdown(outcome: CheckOutcome): string {
  const verdict =
    outcome.errors > 0 ? '❌ changes needed' : outcome.warnings > 0 ? '⚠️ passed with warnings' : '✅ passed';
  const sections = [
    `### Alertbook check: ${verdict}`,
    summaryLine(outcome),
    permissionChangesTable(outcome),
    runbooksTable(outcome),
    permissionsTable(outcome),
    tuningTable(outcome),
    problemsTable(outcome.problems),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function runbooksTable(outcome: CheckOutcome): string {
  const problemCounts = countProblemsByFile(outcome.problems);
  const describe = (runbook: RunbookSummary) => [
    `${cell(runbook.title)} (${code(runbook.id)})`,
    String(runbook.cells),
    String(runbook.steps),
    problemCounts.get(runbook.file) ?? 'none',
  ];
  const table = (heading: string, columns: string[], rows: string[][]) =>
    [
      heading,
      '',
      `| ${columns.join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      ...capped(rows.map((r) => `| ${r.join(' | ')} |`)),
    ].join('\n');

  if (!outcome.changes) {
    if (outcome.runbooks.length === 0) return '';
    return table('#### Runbooks', ['Runbook', 'Cells', 'Steps', 'Problems'], outcome.runbooks.map(describe));
  }
  const heading = `#### Runbooks changed since ${code(outcome.changes.ref)}`;
  const byPath = new Map(outcome.runbooks.map((runbook) => [runbook.path, runbook]));
  const rows = outcome.changes.files.flatMap((change) => {
    const runbook = byPath.get(change.path);
    const what = change.from ? `renamed from ${code(change.from)}` : change.status;
    if (runbook) return [[what, ...describe(runbook)]];
    // A deleted runbook is gone from the catalogue; other files (rules, README) are not runbooks.
    return change.status === 'deleted' && change.path.endsWith('.md') ? [[what, code(change.path), '–', '–', '–']] : [];
  });
  if (rows.length === 0) return `${heading}\n\nNo runbook changed.`;
  return table(heading, ['Change', 'Runbook', 'Cells', 'Steps', 'Problems'], rows);
}

/** Grants the change adds or widens: what the reviewer must agree to before anything else. */
function permissionChangesTable(outcome: CheckOutcome): string {
  if (!outcome.changes) return '';
  const heading = `#### ⚠️ Script permissions added or widened since ${code(outcome.changes.ref)}`;
  const rows = outcome.changes.permissions.flatMap((runbook) =>
    runbook.changes.map(
      (change) =>
        `| ${cell(runbook.title)} (${code(runbook.id)}) | ${change.kind} | ${code(change.entry)} | ${
          change.change === 'added' ? 'added' : `widened from ${change.was.map(code).join(', ')}`
        } |`,
    ),
  );
  if (rows.length === 0)
    return `#### Script permissions\n\nNo script permission added or widened since ${code(outcome.changes.ref)}.`;
  return [heading, '', '| Runbook | Kind | Grant | Change |', '|---|---|---|---|', ...capped(rows)].join('\n');
}

/**
 * Every runbook's requested script permissions (those with script cells or a permissions block), for
 * the reviewer: these become Deno's --allow-* flags.
 */
function permissionsTable(outcome: CheckOutcome): string {
  const list = (entries: string[]) => (entries.length ? entries.map(code).join(', ') : '–');
  const rows = outcome.runbooks.flatMap((runbook) => {
    const { net, env, read } = runbook.permissions;
    if (runbook.scriptCells + net.length + env.length + read.length === 0) return [];
    return [
      `| ${cell(runbook.title)} (${code(runbook.id)}) | ${runbook.scriptCells} | ${list(net)} | ${list(env)} | ${list(read)} |`,
    ];
  });
  if (rows.length === 0) return '';
  return [
    '#### Script cell permissions requested',
    '',
    '| Runbook | Script cells | net | env | read |',
    '|---|---|---|---|---|',
    ...capped(rows),
  ].join('\n');
}

/** Rules whose threshold or `for` changed: old versus new over the last 7 days, and the decision behind it. */
function tuningTable(outcome: CheckOutcome): string {
  if (!outcome.tuning || !outcome.changes) return '';
  const heading = `#### Alerting rules tuned since ${code(outcome.changes.ref)}`;
  if (outcome.tuning.length === 0) return `${heading}\n\nNo threshold or \`for\` changed.`;
  const rows = outcome.tuning.map((t) => {
    const decision = t.decision ? `#${t.decision.id} (${t.decision.status}): ${cell(t.decision.reason)}` : 'none found';
    return `| ${code(t.alertname)} (${code(`${t.file}:${t.line}`)}) | ${cell(t.change)} | ${cell(tuningVerdict(t, CHANGE_BACKTEST_WINDOW))} | ${decision} |`;
  });
  return [heading, '', '| Rule | Change | Backtest | Decision |', '|---|---|---|---|', ...capped(rows)].join('\n');
}

function problemsTable(problems: readonly CheckProblem[]): string {
  if (problems.length === 0) return '';
  const rows = problems.map(
    (p) =>
      `| ${p.severity === 'error' ? '❌ error' : '⚠️ warning'} | ${code(`${p.file}:${p.line}:${p.column}`)} | ${code(p.code)} | ${cell(p.message)} |`,
  );
  return ['#### Problems', '', '| Severity | Location | Code | Message |', '|---|---|---|---|', ...capped(rows)].join(
    '\n',
  );
}

function capped(rows: string[]): string[] {
  if (rows.length <= MAX_ROWS) return rows;
  return [
    ...rows.slice(0, MAX_ROWS),
    `| … and ${rows.length - MAX_ROWS} more: run \`alertbook check\` for the full list |`,
  ];
}

function countProblemsByFile(problems: readonly CheckProblem[]): Map<string, string> {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const problem of problems) {
    const count = counts.get(problem.file) ?? { errors: 0, warnings: 0 };
    if (problem.severity === 'error') count.errors += 1;
    else count.warnings += 1;
    counts.set(problem.file, count);
  }
  const describe = ({ errors, warnings }: { errors: number; warnings: number }) =>
    [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  return new Map([...counts].map(([file, count]) => [file, describe(count)]));
}

/**
 * Text from files in a table cell: one line, no column breaks, no HTML, and no
 * markdown of its own (emphasis, links, @mentions that would notify people).
 */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\\`*_[\]|~@]/g, '\\$&');
}

/** A code span that survives backticks and pipes in the text. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\n/g, ' ')}\``;
}
