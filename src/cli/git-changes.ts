import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  /** Relative to the directory that was diffed, with `/`. */
  path: string;
  status: ChangeStatus;
  /** For renames: the path before. */
  from?: string;
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  C: 'added',
  M: 'modified',
  T: 'modified',
  D: 'deleted',
  R: 'renamed',
};

/**
 * Files under `dir` that differ from `ref` (`git diff --name-status <ref> -- .`, run
 * inside `dir` with `--relative` so paths are relative to it, `-z` so any file
 * name survives), plus untracked files as added: a runbook written but not yet
 * committed is a change too.
 */
export async function changedFiles(dir: string, ref: string): Promise<FileChange[]> {
  // A ref is never an option: refuse "--output=…" and friends outright.
  if (ref.startsWith('-')) throw new Error(`not a git ref: ${ref}`);
  const [diff, untracked] = await Promise.all([
    git(dir, ref, ['diff', '--name-status', '-z', '--relative', ref, '--', '.']),
    git(dir, ref, ['ls-files', '-z', '--others', '--exclude-standard', '--', '.']),
  ]);
  const added = untracked
    .split('\0')
    .filter(Boolean)
    .map((path): FileChange => ({ path, status: 'added' }));
  return [...parseNameStatus(diff), ...added];
}

/** A file as it was at `ref` (path relative to `cwd`), or null when it did not exist there. */
export async function fileAtRef(cwd: string, ref: string, path: string): Promise<string | null> {
  if (ref.startsWith('-')) throw new Error(`not a git ref: ${ref}`);
  // `ls-tree` first: a missing file is an answer, not an error to tell from a bad ref.
  const listed = await git(cwd, ref, ['ls-tree', '--name-only', ref, '--', path]);
  return listed.trim() ? git(cwd, ref, ['show', `${ref}:./${path}`]) : null;
}

async function git(cwd: string, ref: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new Error(gitFailure(cwd, ref, args, error as NodeJS.ErrnoException & { stderr?: string }));
  }
}

/** What went wrong, in the user's terms rather than git's. */
function gitFailure(
  cwd: string,
  ref: string,
  args: string[],
  error: NodeJS.ErrnoException & { stderr?: string },
): string {
  const stderr = error.stderr ?? '';
  if (error.code === 'ENOENT') return '--changed-since needs git, and no git command was found';
  if (/not a git repository/i.test(stderr)) {
    return `--changed-since compares with a git ref, but ${cwd} is not inside a git work tree`;
  }
  if (/unknown revision|bad revision|ambiguous argument/i.test(stderr)) {
    return `--changed-since: "${ref}" is not a commit, branch or tag of this repository`;
  }
  return `git ${args.join(' ')} failed: ${stderr.trim().split('\n')[0] ?? error.message}`;
}

function parseNameStatus(output: string): FileChange[] {
  const fields = output.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const code = fields[i++]?.[0] ?? '';
    const status = STATUS[code] ?? 'modified';
    if (code === 'R' || code === 'C') {
      const from = fields[i++] ?? '';
      changes.push({ path: fields[i++] ?? '', status, ...(code === 'R' ? { from } : {}) });
    } else {
      changes.push({ path: fields[i++] ?? '', status });
    }
  }
  return changes;
}
