import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkRunbooks } from '../../domain/check/check-runbooks.js';
import type { ParsedRule } from '../../domain/rules/parse-rule-file.js';
import { scaffoldRunbook } from '../../domain/runbooks/scaffold-runbook.js';
import type { CliIo, ExitCode } from '../cli-io.js';
import { readCheckSources } from '../read-check-sources.js';
import { runCommand } from '../run-command.js';

export const NEW_USAGE = `usage: alertbook new <alertname> [dir] [--rules <glob>]...
       alertbook new --all-missing [dir] [--rules <glob>]...

Writes a first runbook for an alert from its alerting rule: <dir>/<id>.md (dir
defaults to ./runbooks, rule files to <dir>/rules/**/*.{yml,yaml}). With
--all-missing, one for every alerting rule no runbook serves. Never overwrites.
Exit code: 0 written, 2 could not write.`;

interface NewOptions {
  alertname: string | null;
  dir: string;
  ruleGlobs: string[] | null;
}

export function runNew(args: string[], io: CliIo): Promise<ExitCode> {
  return runCommand({ name: 'new', usage: NEW_USAGE, args, io }, parseNewArgs, scaffold);
}

async function scaffold(options: NewOptions, io: CliIo): Promise<ExitCode> {
  const dir = resolve(io.cwd, options.dir);
  const rules = options.ruleGlobs ? { globs: options.ruleGlobs } : { dir: join(options.dir, 'rules') };
  const sources = await readCheckSources({ cwd: io.cwd, dir, rules, cacheDir: io.cacheDir });
  const report = checkRunbooks({ runbooksDir: options.dir, runbooks: sources.runbooks, ruleFiles: sources.ruleFiles });
  const alerting = sources.ruleFiles.flatMap((file) => file.rules).filter((rule) => rule.kind === 'alert');

  let wanted: string[];
  if (options.alertname !== null) {
    if (!alerting.some((rule) => rule.name === options.alertname)) {
      throw new Error(
        `no alerting rule named ${options.alertname} in the rule files (${sources.ruleFiles.length} read)`,
      );
    }
    wanted = [options.alertname];
  } else {
    // Exactly the alerts `check` reports as missing a runbook, found at their rules' positions.
    const missing = new Set(
      report.problems.filter(({ code }) => code === 'missing-runbook').map(({ file, line }) => `${file}:${line}`),
    );
    const located = sources.ruleFiles.flatMap(({ path, rules: parsed }) => parsed.map((rule) => ({ path, rule })));
    wanted = [
      ...new Set(
        located.filter(({ path, rule }) => missing.has(`${path}:${rule.position.line}`)).map(({ rule }) => rule.name),
      ),
    ];
  }

  let refused = 0;
  for (const alertname of wanted) {
    const runbook = scaffoldRunbook(alerting.filter((rule: ParsedRule) => rule.name === alertname));
    const path = join(dir, `${runbook.id}.md`);
    await mkdir(dirname(path), { recursive: true });
    const shown = relative(io.cwd, path);
    if (await stat(path).catch(() => null)) {
      io.stderr(`alertbook new: ${shown} exists; not overwritten\n`);
      refused++;
      continue;
    }
    await writeFile(path, runbook.content, { flag: 'wx' });
    io.stdout(`wrote ${shown} for ${alertname}\n`);
  }
  if (wanted.length === 0) io.stdout('every alerting rule has a runbook\n');
  return refused > 0 ? 2 : 0;
}

function parseNewArgs(args: string[]): NewOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      rules: { type: 'string', multiple: true },
      'all-missing': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const allMissing = values['all-missing'] === true;
  const [first, second, ...rest] = positionals;
  const alertname = allMissing ? null : (first ?? null);
  const dir = allMissing ? first : second;
  if (!allMissing && alertname === null) throw new Error('name the alert, or pass --all-missing');
  if (rest.length > 0 || (allMissing && second !== undefined))
    throw new Error(`unexpected arguments: ${positionals.join(' ')}`);
  return { alertname, dir: dir ?? 'runbooks', ruleGlobs: values.rules ?? null };
}
