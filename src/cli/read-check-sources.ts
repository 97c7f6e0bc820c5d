import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ParsedRuleFile } from '../domain/rules/parse-rule-file.js';
import type { ParsedRunbook } from '../domain/runbooks/runbook.js';
import { parseWithCache } from './parse-cache.js';

export interface CheckSources {
  runbooks: ParsedRunbook[];
  ruleFiles: ParsedRuleFile[];
}

/** The directory's documentation, not a runbook. */
const RUNBOOKS_README = 'README.md';

/** Rule files: those the user's globs match, or by default every YAML file in the runbooks' `rules` folder. */
export type RuleSources = { globs: string[] } | { dir: string };

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
  // The parsers (YAML, markdown, PromQL) are loaded only when some file is not in the cache.
  const [runbooks, parsedRuleFiles] = await Promise.all([
    parseWithCache(input.cacheDir, 'runbooks', runbookFiles, async (files) => {
      const { isRunbookFile, parseRunbook } = await import('../domain/runbooks/parse-runbook.js');
      return files.map((file) => (isRunbookFile(file.content) ? parseRunbook(file) : null));
    }),
    parseWithCache(input.cacheDir, 'rule-files', ruleFiles, async (files) => {
      const { parseRuleFile } = await import('../domain/rules/parse-rule-file.js');
      return files.map(parseRuleFile);
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
