/**
 * What a runbook's script cells may do, in Deno's own vocabulary: the frontmatter's
 * `permissions: {net, env, read}` become exactly the `--allow-*` flags of its cells.
 * Everything else is denied; the kinds that would hand out the host are refused outright.
 */
import { posix } from 'node:path';
import { z } from 'zod';

export interface ScriptPermissions {
  /** `host` or `host:port`, as Deno's --allow-net takes them. */
  net: string[];
  /** Variable names, copied from the service's environment into the cell's. */
  env: string[];
  /** Paths relative to RUNBOOKS_DIR. */
  read: string[];
}

export const NO_PERMISSIONS: ScriptPermissions = { net: [], env: [], read: [] };

/** Why each refused kind is refused: any of them is the whole host. */
export const REFUSED_PERMISSIONS: Record<string, string> = {
  run: 'a subprocess runs outside the sandbox',
  write: 'a cell gathers diagnostics; it writes nothing on the service host',
  ffi: 'native code runs outside the sandbox',
  sys: "host facts (interfaces, users, load) are not a cell's business",
  all: 'it grants everything, the subprocess and native code included',
};

// Deno's net descriptor: a name or IPv4 address, or a bracketed IPv6 one, with an optional port.
const NET_ENTRY = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const list = (entry: z.ZodType<string>, example: string) =>
  z.array(entry, { error: `must be a list, e.g. [${example}]` });

const refused = (kind: string) =>
  z.unknown().refine(() => false, { error: `is refused: ${REFUSED_PERMISSIONS[kind]} (grant net, env or read only)` });

export const permissionsSchema = z
  .strictObject(
    {
      net: list(
        z.string().regex(NET_ENTRY, { error: 'must be "host" or "host:port", e.g. "api.github.com:443"' }),
        '"api.github.com:443"',
      ),
      env: list(
        z.string().regex(ENV_NAME, { error: 'must be a variable name, e.g. "GITHUB_TOKEN" (no wildcards)' }),
        '"GITHUB_TOKEN"',
      ),
      read: list(
        z
          .string()
          .refine(isConfinedPath, { error: 'must be a path inside the runbooks folder, e.g. "data/routes.json"' }),
        '"data/routes.json"',
      ),
      ...Object.fromEntries(Object.keys(REFUSED_PERMISSIONS).map((kind) => [kind, refused(kind)])),
    },
    { error: 'must be a mapping like {net: ["api.github.com:443"], env: ["GITHUB_TOKEN"], read: ["data/"]}' },
  )
  .partial()
  .transform((p): ScriptPermissions => ({ net: p.net ?? [], env: p.env ?? [], read: p.read ?? [] }));

function isConfinedPath(path: string): boolean {
  if (path.trim() === '' || path.includes('\0') || posix.isAbsolute(path) || /^[A-Za-z]:|\\/.test(path)) return false;
  const normal = posix.normalize(path);
  return normal !== '..' && !normal.startsWith('../');
}

/** What the operator lets any runbook be granted (ALERTBOOK_SCRIPT_ALLOW_NET / _ENV); default nothing. */
export interface PermissionCeiling {
  net: string[];
  env: string[];
}

/**
 * The grants beyond the ceiling, as a reason to disable the cells (never silently narrowed), or null.
 * A ceiling entry without a port covers every port of that host.
 */
export function overCeiling(permissions: ScriptPermissions, ceiling: PermissionCeiling): string | null {
  const net = permissions.net.filter(
    (entry) => !ceiling.net.some((allowed) => allowed === entry || allowed === hostOf(entry)),
  );
  const env = permissions.env.filter((name) => !ceiling.env.includes(name));
  const parts = [
    net.length > 0 &&
      `net ${net.join(', ')} (ALERTBOOK_SCRIPT_ALLOW_NET allows ${ceiling.net.join(', ') || 'nothing'})`,
    env.length > 0 &&
      `env ${env.join(', ')} (ALERTBOOK_SCRIPT_ALLOW_ENV allows ${ceiling.env.join(', ') || 'nothing'})`,
  ].filter(Boolean);
  return parts.length > 0 ? `the runbook asks for more than this service allows: ${parts.join('; ')}` : null;
}

function hostOf(entry: string): string {
  return entry.replace(/:\d+$/, '');
}
