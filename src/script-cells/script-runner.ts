import { mkdir } from 'node:fs/promises';
import { overCeiling, type PermissionCeiling, type ScriptPermissions } from '../domain/runbooks/script-permissions.js';
import type { DenoBinary } from './deno-binary.js';
import { denoPermissionFlags, grantedEnv } from './deno-flags.js';
import { buildPrelude, type PreludeInput } from './prelude.js';
import type { QueryGateway } from './query-gateway.js';
import { RunQueue } from './run-queue.js';
import { permissionHint, type PermissionHint } from './permission-hint.js';
import { DEFAULT_LIMITS, runDeno, type DenoRunLimits, type DenoRunResult } from './run-deno.js';

export interface ScriptRunRequest {
  code: string;
  timeoutSeconds: number;
  permissions: ScriptPermissions;
  /** The runbook's datasource, the default of the cell's queries. */
  datasource: string;
  alert: PreludeInput['alert'];
  incident: PreludeInput['incident'];
}

/** A run's result, with the frontmatter line that would grant what Deno denied (if it denied something). */
export interface ScriptRunResult extends DenoRunResult {
  permissionHint: PermissionHint | null;
}

export interface ScriptRunnerDeps {
  deno: DenoBinary;
  /** Deno's cache dir, inside the data dir. */
  denoDir: string;
  runbooksDir: string;
  gateway: QueryGateway;
  /** Where granted env variables take their values from (the service's environment). */
  serviceEnv: Record<string, string | undefined>;
  ceiling: PermissionCeiling;
  concurrency: number;
  /** Runs that may wait for a place; default twice the concurrency. */
  queueLength?: number;
  limits?: Partial<Omit<DenoRunLimits, 'timeoutMs'>>;
}

/** A run refused because every place and the queue are taken: come back in `retryAfterSeconds`. */
export class RunQueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`every script run place and the queue are taken; retry in ${retryAfterSeconds}s`);
    this.name = 'RunQueueFullError';
  }
}

/** Runs script cells: decides whether a runbook's cells may run, queues runs, grants each its gateway token. */
export class ScriptRunner {
  readonly queue: RunQueue;

  constructor(private readonly deps: ScriptRunnerDeps) {
    this.queue = new RunQueue(deps.concurrency, deps.queueLength ?? deps.concurrency * 2);
  }

  /** Why a runbook's script cells may not run here (no Deno, a broken or refused block, over the ceiling), or null. */
  disabledReason(runbook: { permissions: ScriptPermissions; permissionsError: string | null }): string | null {
    if (!this.deps.deno.available) return `script cells are disabled on this host: ${this.deps.deno.reason}`;
    if (runbook.permissionsError) return runbook.permissionsError;
    return overCeiling(runbook.permissions, this.deps.ceiling);
  }

  /**
   * Takes a place synchronously (throws RunQueueFullError when there is none, before any work),
   * then runs when the place comes. The caller must have checked disabledReason.
   */
  run(request: ScriptRunRequest, signal?: AbortSignal): Promise<ScriptRunResult> {
    const place = this.queue.tryEnter();
    if (!place) throw new RunQueueFullError(Math.max(1, Math.ceil(request.timeoutSeconds / 2)));
    return place.then(async (release) => {
      try {
        return await this.runNow(request, signal);
      } finally {
        release();
      }
    });
  }

  private async runNow(request: ScriptRunRequest, signal?: AbortSignal): Promise<ScriptRunResult> {
    const { deps } = this;
    if (!deps.deno.available) throw new Error(deps.deno.reason);
    await deps.gateway.start();
    await mkdir(deps.denoDir, { recursive: true });
    const grant = deps.gateway.grant();
    try {
      const result = await runDeno({
        denoPath: deps.deno.path,
        denoDir: deps.denoDir,
        code: request.code,
        prelude: (marker) =>
          buildPrelude({
            marker,
            gatewayUrl: deps.gateway.url,
            token: grant.token,
            datasource: request.datasource,
            alert: request.alert,
            incident: request.incident,
          }),
        permissionFlags: denoPermissionFlags(request.permissions, {
          gateway: deps.gateway.hostPort,
          runbooksDir: deps.runbooksDir,
        }),
        env: grantedEnv(request.permissions, deps.serviceEnv),
        limits: { ...DEFAULT_LIMITS, ...deps.limits, timeoutMs: request.timeoutSeconds * 1000 },
        signal,
      });
      const hint = result.ok
        ? null
        : permissionHint(result.stderr, { permissions: request.permissions, runbooksDir: deps.runbooksDir });
      return { ...result, permissionHint: hint };
    } finally {
      grant.revoke();
    }
  }
}
