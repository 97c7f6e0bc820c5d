import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The root of the git work tree `dir` is in (the nearest folder holding `.git`, a folder or,
 * in worktrees and submodules, a file), or null. Found by looking, not by running git:
 * `check` prints paths relative to it, and must not pay a process start for that.
 */
export async function repositoryRoot(dir: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    if (await stat(join(current, '.git')).catch(() => null)) return current;
    if (dirname(current) === current) return null;
  }
}
