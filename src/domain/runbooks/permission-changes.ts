import { posix } from 'node:path';
import type { ScriptPermissions } from './script-permissions.js';

/** A grant a runbook asks for that its base version did not: new, or covering more than an old one did. */
export interface PermissionChange {
  kind: keyof ScriptPermissions;
  entry: string;
  /** `added`: nothing before covered it; `widened`: it covers what the base granted (`was`) and more. */
  change: 'added' | 'widened';
  was: string[];
}

const KINDS = ['net', 'env', 'read'] as const;

/**
 * What `current` grants beyond `base`, for the reviewer of a runbook change. An entry covered by a
 * base entry (the same one; a host without a port covers its ports; a folder its files) is not a
 * change; narrowing or removing a grant is not one either.
 */
export function permissionChanges(base: ScriptPermissions, current: ScriptPermissions): PermissionChange[] {
  const changes: PermissionChange[] = [];
  for (const kind of KINDS) {
    for (const entry of current[kind]) {
      if (base[kind].some((old) => covers(kind, old, entry))) continue;
      const was = base[kind].filter((old) => covers(kind, entry, old));
      changes.push({ kind, entry, change: was.length > 0 ? 'widened' : 'added', was });
    }
  }
  return changes;
}

/** Whether granting `wide` grants everything `narrow` does. */
function covers(kind: keyof ScriptPermissions, wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  if (kind === 'net') return !hasPort(wide) && hostOf(narrow) === wide;
  if (kind === 'read') {
    const folder = posix.normalize(wide).replace(/\/$/, '');
    const path = posix.normalize(narrow).replace(/\/$/, '');
    return folder === '.' || path === folder || path.startsWith(`${folder}/`);
  }
  return false;
}

// `host:port`, `[::1]:8080`; a bare IPv6 address only in brackets, as Deno's --allow-net takes it.
const hasPort = (entry: string) => /:\d+$/.test(entry) && !/^[^[]*:.*:/.test(entry);
const hostOf = (entry: string) => (hasPort(entry) ? entry.replace(/:\d+$/, '') : entry);
