import { and, asc, desc, eq, like } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { runbooks, runbookVersions } from '../../db/schema/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { StoredVersion } from './runbook-view.js';

/** What the runbook read verbs need. */
export interface RunbookReadContext {
  db: Db;
}

const versionColumns = {
  runbookId: runbookVersions.runbookId,
  sha: runbookVersions.sha,
  path: runbookVersions.path,
  gitCommit: runbookVersions.gitCommit,
  content: runbookVersions.content,
  firstSeenAt: runbookVersions.firstSeenAt,
};

/** Every runbook, removed ones flagged, ordered by id. */
export async function listRunbooks({ ctx }: { ctx: RunbookReadContext }) {
  return ctx.db
    .select({
      id: runbooks.id,
      title: runbooks.title,
      alerts: runbooks.alerts,
      owner: runbooks.owner,
      path: runbooks.path,
      currentVersion: runbooks.currentSha,
      removed: runbooks.removed,
      updatedAt: runbooks.updatedAt,
    })
    .from(runbooks)
    .orderBy(asc(runbooks.id));
}

export async function currentVersionSha({
  ctx,
  input,
}: {
  ctx: RunbookReadContext;
  input: { id: string };
}): Promise<string> {
  const [row] = await ctx.db.select({ sha: runbooks.currentSha }).from(runbooks).where(eq(runbooks.id, input.id));
  if (!row) throw new NotFoundError(`runbook "${input.id}"`);
  return row.sha;
}

/** Newest first. */
export async function listRunbookVersions({ ctx, input }: { ctx: RunbookReadContext; input: { id: string } }) {
  const rows = await ctx.db
    .select({
      sha: runbookVersions.sha,
      path: runbookVersions.path,
      gitCommit: runbookVersions.gitCommit,
      firstSeenAt: runbookVersions.firstSeenAt,
    })
    .from(runbookVersions)
    .where(eq(runbookVersions.runbookId, input.id))
    .orderBy(desc(runbookVersions.firstSeenAt), asc(runbookVersions.sha));
  if (rows.length === 0) throw new NotFoundError(`runbook "${input.id}"`);
  return rows;
}

/**
 * One version by its sha, or by an unambiguous prefix of at least 7 hex
 * characters (as people copy them from git).
 */
export async function getRunbookVersion({
  ctx,
  input,
}: {
  ctx: RunbookReadContext;
  input: { id: string; sha: string };
}): Promise<StoredVersion> {
  if (!/^[0-9a-f]{7,64}$/.test(input.sha))
    throw new ValidationError('sha', 'expected 7 to 64 lowercase hex characters');
  const rows = await ctx.db
    .select(versionColumns)
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, input.id), like(runbookVersions.sha, `${input.sha}%`)))
    .limit(2);
  if (rows.length > 1) throw new ValidationError('sha', `"${input.sha}" matches more than one version`);
  if (!rows[0]) throw new NotFoundError(`version ${input.sha} of runbook "${input.id}"`);
  return rows[0];
}
