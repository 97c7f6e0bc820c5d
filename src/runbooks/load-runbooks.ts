import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { isRunbookFile, parseRunbook } from '../domain/runbooks/parse-runbook.js';
import type { RunbookFile } from '../domain/runbooks/sync-runbooks.js';
import { lastCommits } from './git-provenance.js';

/**
 * Reads every runbook under `dir`: markdown files that start with frontmatter.
 * README.md files and the rule files in rules/ are not runbooks.
 */
export async function loadRunbooks(dir: string): Promise<RunbookFile[]> {
  const paths = (
    await glob('**/*.md', { cwd: dir, ignore: ['**/README.md', 'rules/**', '**/node_modules/**'] })
  ).sort();
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: await readFile(join(dir, path), 'utf8') })),
  );
  const runbookFiles = files.filter((f) => isRunbookFile(f.content));
  const commits = await lastCommits(
    dir,
    runbookFiles.map((f) => resolve(dir, f.path)),
  );
  return runbookFiles.map((f) => ({
    parsed: parseRunbook({ path: f.path, content: f.content }),
    gitCommit: commits.get(resolve(dir, f.path)) ?? null,
  }));
}
