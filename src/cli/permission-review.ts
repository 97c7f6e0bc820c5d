import { parseRunbook } from '../domain/runbooks/parse-runbook.js';
import { permissionChanges } from '../domain/runbooks/permission-changes.js';
import { NO_PERMISSIONS, type ScriptPermissions } from '../domain/runbooks/script-permissions.js';
import type { RunbookPermissionChanges, RunbookSummary } from './format/check-outcome.js';
import { fileAtRef, type FileChange } from './git-changes.js';

/**
 * For each runbook added, modified or renamed since `ref`: the script permissions it asks for
 * beyond its version there (all of them for a new runbook). Runbooks that ask for nothing new are left out.
 */
export async function permissionReview(
  dir: string,
  ref: string,
  files: FileChange[],
  runbooks: RunbookSummary[],
): Promise<RunbookPermissionChanges[]> {
  const byPath = new Map(runbooks.map((runbook) => [runbook.path, runbook]));
  const reviewed = await Promise.all(
    files.map(async (file) => {
      const runbook = byPath.get(file.path);
      if (!runbook || file.status === 'deleted') return null;
      const base = file.status === 'added' ? NO_PERMISSIONS : await permissionsAt(dir, ref, file.from ?? file.path);
      const changes = permissionChanges(base, runbook.permissions);
      return changes.length ? { id: runbook.id, title: runbook.title, path: runbook.path, changes } : null;
    }),
  );
  return reviewed.filter((r) => r !== null);
}

// A base version whose permissions were invalid (or refused) granted nothing: its cells were disabled.
async function permissionsAt(dir: string, ref: string, path: string): Promise<ScriptPermissions> {
  const content = await fileAtRef(dir, ref, path);
  if (content === null) return NO_PERMISSIONS;
  const parsed = parseRunbook({ path, content });
  return parsed.permissionsError ? NO_PERMISSIONS : parsed.permissions;
}
