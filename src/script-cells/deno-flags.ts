import { resolve, sep } from 'node:path';
import type { ScriptPermissions } from '../domain/runbooks/script-permissions.js';

/**
 * Exactly the granted `--allow-*` flags: net for the gateway and the declared hosts, env for the
 * declared names, read for the declared paths under the runbooks folder. Nothing else is allowed,
 * so Deno denies everything else (run, write, ffi, sys, import).
 */
export function denoPermissionFlags(
  permissions: ScriptPermissions,
  where: { gateway: string; runbooksDir: string },
): string[] {
  const flags = [`--allow-net=${[where.gateway, ...permissions.net].join(',')}`];
  if (permissions.env.length > 0) flags.push(`--allow-env=${permissions.env.join(',')}`);
  if (permissions.read.length > 0)
    flags.push(`--allow-read=${permissions.read.map((path) => confinedPath(where.runbooksDir, path)).join(',')}`);
  return flags;
}

/** The absolute path of a runbook-relative path; throws if it leaves the folder (the parser already refuses that). */
export function confinedPath(runbooksDir: string, path: string): string {
  const root = resolve(runbooksDir);
  const absolute = resolve(root, path);
  if (absolute !== root && !absolute.startsWith(root + sep))
    throw new Error(`read path "${path}" is outside the runbooks folder`);
  // Deno splits the flag's list on commas.
  if (absolute.includes(',')) throw new Error(`read path "${path}" contains a comma`);
  return absolute;
}

/** The granted variables' values from the service's environment; a name it lacks stays unset in the cell too. */
export function grantedEnv(
  permissions: ScriptPermissions,
  serviceEnv: Record<string, string | undefined>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of permissions.env) {
    const value = serviceEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
