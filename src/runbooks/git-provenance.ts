import { execFile } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return null; // not a work tree, or no git on this machine: versions still work by sha256
  }
}

/**
 * For each runbook file (absolute path), the commit that last touched it, when
 * the file in the work tree is exactly what that commit holds. Two git calls
 * for the whole folder, not one per file.
 */
export async function lastCommits(dir: string, absolutePaths: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const top = (await git(dir, ['rev-parse', '--show-toplevel']))?.trim();
  if (!top) return result;
  const [log, status] = await Promise.all([
    git(top, ['log', '--format=%x00%H', '--name-only', '--no-renames', '--', relative(top, resolve(dir)) || '.']),
    git(top, [
      'status',
      '--porcelain',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--',
      relative(top, resolve(dir)) || '.',
    ]),
  ]);
  if (log === null || status === null) return result;
  const dirty = new Set(
    status
      .split('\0')
      .filter(Boolean)
      .map((entry) => resolve(top, entry.slice(3))),
  );
  const lastCommitOf = new Map<string, string>();
  for (const chunk of log.split('\0').filter(Boolean)) {
    const [commit, ...files] = chunk.trim().split('\n');
    for (const file of files.filter((f) => f.trim())) {
      const path = resolve(top, file.trim());
      if (!lastCommitOf.has(path)) lastCommitOf.set(path, commit!);
    }
  }
  for (const path of absolutePaths) {
    const commit = lastCommitOf.get(path);
    if (commit && !dirty.has(path)) result.set(path, commit);
  }
  return result;
}
