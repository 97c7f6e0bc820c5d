import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { countBySeverity, sortProblems } from '../../domain/check/check-problem.js';
import { checkRunbooks } from '../../domain/check/check-runbooks.js';
import type { CliIo, ExitCode } from '../cli-io.js';
import { runCommand } from '../run-command.js';
import type { CheckOutcome, RunbookSummary } from '../format/check-outcome.js';
import { formatGithub } from '../format/format-github.js';
import { formatJson } from '../format/format-json.js';
import { formatMarkdown } from '../format/format-markdown.js';
import { formatText } from '../format/format-text.js';
import { parseCheckFiles, readCheckFiles } from '../read-check-sources.js';
import { computeWithCache } from '../result-cache.js';
import { repositoryRoot } from '../repository-root.js';

export const CHECK_USAGE = `usage: alertbook check [dir] [--rules <glob>]... [--prometheus <url>]
                       [--format text|json|github|markdown] [--changed-since <git-ref>] [--server <url>]

Checks the runbooks in dir (default ./runbooks) and the alerting rules in the
rule files (default <dir>/rules/**/*.{yml,yaml}) against each other. With
--changed-since and --prometheus, every alerting rule whose threshold or for
changed is backtested old versus new over the last 7 days; --server (token from
ALERTBOOK_TOKEN) adds the incidents it would have missed and its decision.
Exit code: 0 no errors, 1 errors found, 2 could not run.`;

const FORMATS = { text: formatText, json: formatJson, github: formatGithub, markdown: formatMarkdown };
type Format = keyof typeof FORMATS;

/** Per query; a runbook cell that needs longer will time out in the notebook too. */
const PROMETHEUS_TIMEOUT_MS = 10_000;
/** Queries in flight at once: enough to be quick, few enough to be polite to a shared Prometheus. */
const PROMETHEUS_CONCURRENCY = 4;

interface CheckOptions {
  dir: string;
  ruleGlobs: string[] | null;
  prometheus: string | null;
  format: Format;
  changedSince: string | null;
  server: string | null;
}

export async function runCheck(args: string[], io: CliIo): Promise<ExitCode> {
  return runCommand({ name: 'check', usage: CHECK_USAGE, args, io }, parseCheckArgs, check);
}

async function check(options: CheckOptions, io: CliIo): Promise<ExitCode> {
  const dir = resolve(io.cwd, options.dir);
  await expectRunbooksDirectory(dir, options.dir);
  // Problems name files relative to the repository's root, as CI annotations and reviewers need them
  // wherever the command runs; outside a repository, relative to where it runs.
  const root = await repositoryRoot(io.cwd);
  // Outside a repository, `git diff <ref> -- .` quietly turns into a diff of files: refuse up front.
  if (options.changedSince && !(await repositoryRoot(dir))) {
    throw new Error(`--changed-since compares with a git ref, but ${dir} is not inside a git work tree`);
  }
  const base = root ?? io.cwd;
  const shown = (path: string) => posix(relative(base, resolve(io.cwd, path))) || '.';
  const shownDir = shown(dir);
  const ruleGlobs = options.ruleGlobs ?? [`${globBase(posix(relative(io.cwd, dir)) || '.')}rules/**/*.{yml,yaml}`];
  const rules = options.ruleGlobs ? { globs: options.ruleGlobs } : { dir: posix(join(relative(io.cwd, dir), 'rules')) };

  const files = await readCheckFiles({ cwd: io.cwd, dir, rules });
  if (files.ruleFiles.length === 0) {
    io.stderr(`note: no rule files match ${ruleGlobs.join(' ')}; rules and runbooks were not cross-checked\n`);
  }
  const checkTheFiles = async () => {
    const sources = await parseCheckFiles(files, io.cacheDir);
    const ruleFiles = sources.ruleFiles.map((ruleFile) => ({ ...ruleFile, path: shown(ruleFile.path) }));
    const report = checkRunbooks({ runbooksDir: shownDir, runbooks: sources.runbooks, ruleFiles });
    const problems = [...report.problems];
    // Loaded only when a run needs them: Deno and esbuild for script cells.
    if (report.runbooks.some(({ runbook }) => runbook.scriptCells.length > 0)) {
      const [{ checkScriptCells }, { locateDeno }] = await Promise.all([
        import('../check-script-cells.js'),
        import('../../script-cells/deno-binary.js'),
      ]);
      problems.push(...(await checkScriptCells(report.runbooks, locateDeno())));
    }
    const runbooks: RunbookSummary[] = report.runbooks.map(({ file, runbook }) => ({
      id: runbook.id,
      file,
      path: runbook.path,
      title: runbook.title,
      cells: runbook.cells.length,
      scriptCells: runbook.scriptCells.length,
      permissions: runbook.permissions,
      steps: runbook.steps.length,
    }));
    return { sources, report, problems, runbooks, ruleCount: report.ruleCount };
  };
  // Prometheus and git answer differently from run to run: only a check of the files alone is kept between runs
  // (result-cache.ts), as what it prints, keyed by the files' texts and where paths are shown from.
  const fileOnly = options.prometheus === null && options.changedSince === null;
  const { problems, runbooks, ruleCount, report } = fileOnly
    ? {
        ...(await computeWithCache(io.cacheDir, 'check-outcome', { dir, base, cwd: io.cwd, files }, async () => {
          const { problems, runbooks, ruleCount } = await checkTheFiles();
          return { problems, runbooks, ruleCount };
        })),
        report: null,
      }
    : await checkTheFiles();
  if (options.prometheus && report) {
    // Loaded only when a run needs them: fetch for Prometheus.
    const [{ evaluateCells }, { prometheusInstantQuery }] = await Promise.all([
      import('../../domain/check/evaluate-cells.js'),
      import('../prometheus-instant-query.js'),
    ]);
    const query = prometheusInstantQuery(options.prometheus, PROMETHEUS_TIMEOUT_MS);
    problems.push(
      ...(await evaluateCells({
        runbooks: report.runbooks,
        links: report.links,
        query,
        concurrency: PROMETHEUS_CONCURRENCY,
      })),
    );
  }
  // Loaded only for --changed-since: a plain check must not pay for git, the API client or backtests.
  let changes: CheckOutcome['changes'] = null;
  if (options.changedSince) {
    const files = await (await import('../git-changes.js')).changedFiles(dir, options.changedSince);
    const { permissionReview } = await import('../permission-review.js');
    const permissions = await permissionReview(dir, options.changedSince, files, runbooks);
    changes = { ref: options.changedSince, files, permissions };
  }

  const tuning =
    options.changedSince && options.prometheus
      ? await (await import('../tuned-rule-changes.js')).tunedRuleChanges({
          cwd: io.cwd,
          ref: options.changedSince,
          ruleFiles: files.ruleFiles.map((file) => file.path),
          prometheus: options.prometheus,
          api: options.server
            ? (await import('../alertbook-api.js')).alertbookApi(options.server, io.env?.ALERTBOOK_TOKEN)
            : null,
          now: Math.floor(Date.now() / 1000),
        })
      : null;

  const { errors, warnings } = countBySeverity(problems);
  const outcome: CheckOutcome = {
    problems: sortProblems(problems),
    errors,
    warnings,
    ruleCount,
    runbooks,
    changes,
    tuning,
  };
  io.stdout(FORMATS[options.format](outcome));
  return errors > 0 ? 1 : 0;
}

/** A rule file given where the runbooks directory goes is the usual slip: say what to type instead. */
async function expectRunbooksDirectory(dir: string, given: string): Promise<void> {
  const found = await stat(dir).catch(() => null);
  if (found?.isDirectory()) return;
  if (!found) throw new Error(`runbooks directory not found: ${given}`);
  if (/\.ya?ml$/i.test(given)) {
    throw new Error(
      `${given} is a file, not a runbooks directory; rule files go after --rules: alertbook check --rules ${given}`,
    );
  }
  throw new Error(`${given} is a file, not a runbooks directory`);
}

function parseCheckArgs(args: string[]): CheckOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      rules: { type: 'string', multiple: true },
      prometheus: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'changed-since': { type: 'string' },
      server: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 1)
    throw new Error(`expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  if (!Object.hasOwn(FORMATS, values.format)) {
    throw new Error(`--format must be one of ${Object.keys(FORMATS).join(', ')}, not "${values.format}"`);
  }
  if (values.prometheus !== undefined && !/^https?:\/\/[^/]/.test(values.prometheus)) {
    throw new Error(`--prometheus must be an http(s) URL, not "${values.prometheus}"`);
  }
  if (values.server !== undefined && !/^https?:\/\/[^/]/.test(values.server)) {
    throw new Error(`--server must be an http(s) URL, not "${values.server}"`);
  }
  return {
    dir: positionals[0] ?? 'runbooks',
    ruleGlobs: values.rules ?? null,
    prometheus: values.prometheus ?? null,
    format: values.format as Format,
    changedSince: values['changed-since'] ?? null,
    server: values.server ?? null,
  };
}

function posix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The runbooks directory as a glob prefix: glob syntax in its name must not act as glob syntax. */
function globBase(shownDir: string): string {
  if (shownDir === '.') return '';
  return `${shownDir.replace(/[*?[\]{}()!@+]/g, '\\$&')}/`;
}
