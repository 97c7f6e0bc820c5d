import { relative, sep } from 'node:path';
import { REFUSED_PERMISSIONS, type ScriptPermissions } from '../domain/runbooks/script-permissions.js';

/** What a denied run asked for, in Deno's words, and the frontmatter line that would grant it (or why none can). */
export interface PermissionHint {
  /** Deno's own message, e.g. `NotCapable: Requires net access to "example.com:443"`. */
  message: string;
  kind: string;
  target: string;
  /** The `permissions:` line that would grant it, with what the runbook already declares; null when it cannot be granted. */
  frontmatter: string | null;
  /** Why it cannot be granted, or what else it takes (the operator's ceiling). */
  note: string | null;
}

// `NotCapable: Requires net access to "example.com:8080", run again with the --allow-net flag` (Deno 2).
const DENIED = /(NotCapable|PermissionDenied): Requires (\w+) access to "((?:[^"\\]|\\.)*)"/;

/** Reads a permission denial from Deno's stderr; null when the run failed for another reason. */
export function permissionHint(
  stderr: string,
  where: { permissions: ScriptPermissions; runbooksDir: string },
): PermissionHint | null {
  const match = DENIED.exec(stderr);
  if (!match) return null;
  const [, , kind, target] = match as unknown as [string, string, string, string];
  const message = `${match[1]}: Requires ${kind} access to "${target}"`;
  const grant = (declared: string[], entry: string, note: string | null): PermissionHint => ({
    message,
    kind,
    target,
    frontmatter: `${kind}: ${JSON.stringify([...declared.filter((e) => e !== entry), entry])}`,
    note,
  });
  if (kind === 'net')
    return grant(where.permissions.net, target, 'the host must also be in ALERTBOOK_SCRIPT_ALLOW_NET');
  if (kind === 'env')
    return grant(where.permissions.env, target, 'the name must also be in ALERTBOOK_SCRIPT_ALLOW_ENV');
  if (kind === 'read') {
    const path = relative(where.runbooksDir, target);
    if (path === '' || path === '..' || path.startsWith(`..${sep}`) || path.startsWith('/'))
      return { message, kind, target, frontmatter: null, note: 'only paths inside the runbooks folder can be granted' };
    return grant(where.permissions.read, path.split(sep).join('/'), null);
  }
  const refused = REFUSED_PERMISSIONS[kind];
  return {
    message,
    kind,
    target,
    frontmatter: null,
    note: refused ? `${kind} is refused: ${refused}` : `${kind} access cannot be granted to a script cell`,
  };
}
