import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { parseRuleFile, type ParsedRuleFile } from '../domain/rules/parse-rule-file.js';
import { isRunbookFile, parseRunbook } from '../domain/runbooks/parse-runbook.js';
import type { ParsedRunbook } from '../domain/runbooks/runbook.js';

export interface CheckSources {
  runbooks: ParsedRunbook[];
  ruleFiles: ParsedRuleFile[];
}

/** The directory's documentation, not a runbook. */
const RUNBOOKS_README = 'README.md';

/**
 * Reads and parses every runbook under `dir` (markdown files that open with
 * frontmatter) and every rule file the globs match (relative to `cwd`). Paths:
 * runbooks relative to `dir`, rule files relative to `cwd`, both with `/`.
 */
export async function readCheckSources(input: {
  cwd: string;
  dir: string;
  ruleGlobs: string[];
}): Promise<CheckSources> {
  const [runbookPaths, rulePaths] = await Promise.all([
    glob('**/*.md', { cwd: input.dir, ignore: ['**/node_modules/**', RUNBOOKS_README] }),
    glob(input.ruleGlobs, { cwd: input.cwd, ignore: ['**/node_modules/**'] }),
  ]);
  const [runbookFiles, ruleFiles] = await Promise.all([
    Promise.all(
      runbookPaths.sort().map(async (path) => ({ path, content: await readFile(join(input.dir, path), 'utf8') })),
    ),
    Promise.all(
      rulePaths.sort().map(async (path) => ({ path, content: await readFile(join(input.cwd, path), 'utf8') })),
    ),
  ]);
  return {
    runbooks: runbookFiles.filter(({ content }) => isRunbookFile(content)).map(parseRunbook),
    ruleFiles: ruleFiles.map(parseRuleFile),
  };
}
