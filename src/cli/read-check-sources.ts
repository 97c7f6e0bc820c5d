import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ParsedRuleFile } from '../domain/rules/parse-rule-file.js';
import type { ParsedRunbook } from '../domain/runbooks/runbook.js';
import { parseWithCache, type SourceFile } from './parse-cache.js';

export interface CheckSources {
  runbooks: ParsedRunbook[];
  ruleFiles: ParsedRuleFile[];
}

/** The directory's documentation, not a runbook. */
const RUNBOOKS_README = 'README.md';

/** Rule files: those the user's globs match, or by default every YAML file in the runbooks' `rules` folder. */
export type RuleSources = { globs: string[] } | { dir: string };

/** The text of every runbook and rule file a check reads, before anything is parsed. */
export interface CheckFiles {
  runbookFiles: SourceFile[];
  ruleFiles: SourceFile[];
}

/**
 * Reads and parses every runbook under `dir` (markdown files that open with
 * frontmatter) and the rule files (relative to `cwd`). Paths: runbooks
 * relative to `dir`, rule files relative to `cwd`, both with `/`. With a
 * `cacheDir`, unchanged files are not parsed again (see parse-cache.ts).
 */
export async function readCheckSources(input: {
  cwd: string;
  dir: string;
  rules: RuleSources;
  cacheDir?: string;
}): Promise<CheckSources> {
  return parseCheckFiles(await readCheckFiles(input), input.cacheDir);
}

/** The runbooks under `dir` and the rule files, read but not parsed (paths as readCheckSources gives them). */
export async function readCheckFiles(input: { cwd: string; dir: string; rules: RuleSources }): Promise<CheckFiles> {
  const { rules } = input;
  const [runbookPaths, rulePaths] = await Promise.all([
    filesUnder(input.dir, /\.md$/).then((paths) => paths.filter((path) => path !== RUNBOOKS_README)),
    'globs' in rules
      ? import('tinyglobby').then(({ glob }) => glob(rules.globs, { cwd: input.cwd, ignore: ['**/node_modules/**'] }))
      : filesUnder(join(input.cwd, rules.dir), /\.ya?ml$/).then((paths) =>
          paths.map((path) => (rules.dir === '.' ? path : `${rules.dir}/${path}`)),
        ),
  ]);
  const [runbookFiles, ruleFiles] = await Promise.all([
    Promise.all(
      runbookPaths.sort().map(async (path) => ({ path, content: await readFile(join(input.dir, path), 'utf8') })),
    ),
    Promise.all(
      rulePaths.sort().map(async (path) => ({ path, content: await readFile(join(input.cwd, path), 'utf8') })),
    ),
  ]);
  return { runbookFiles, ruleFiles };
}

/** Parses what readCheckFiles read; the parsers (YAML, markdown, PromQL) are loaded only when some file is not in the cache. */
export async function parseCheckFiles(files: CheckFiles, cacheDir?: string): Promise<CheckSources> {
  const [runbooks, parsedRuleFiles] = await Promise.all([
    parseWithCache(cacheDir, 'runbooks', files.runbookFiles, async (missing) => {
      const { isRunbookFile, parseRunbook } = await import('../domain/runbooks/parse-runbook.js');
      return missing.map((file) => (isRunbookFile(file.content) ? parseRunbook(file) : null));
    }),
    parseWithCache(cacheDir, 'rule-files', files.ruleFiles, async (missing) => {
      const { parseRuleFile } = await import('../domain/rules/parse-rule-file.js');
      return missing.map(parseRuleFile);
    }),
  ]);
  return { runbooks: runbooks.filter((runbook) => runbook !== null), ruleFiles: parsedRuleFiles };
}

/**
 * Files under `dir` whose names match, relative to it with `/`; hidden entries and node_modules
 * skipped, as the globs skip them. Plain readdir: a glob library costs a run more than it reads.
 */
async function filesUnder(dir: string, name: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && name.test(entry.name))
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split(sep)
        .join('/'),
    )
    .filter((path) => !path.split('/').some((segment) => segment.startsWith('.') || segment === 'node_modules'));
}
