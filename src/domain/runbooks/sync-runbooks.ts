import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { runbooks, runbookVersions } from '../../db/schema/index.js';
import type { ParsedRunbook } from './runbook.js';

export interface RunbookFile {
  parsed: ParsedRunbook;
  /** The commit that last touched the file, when it is unmodified in a git work tree. */
  gitCommit: string | null;
}

export interface SyncSummary {
  runbooks: number;
  /** Versions stored by this sync (new files and edited ones). */
  newVersions: number;
  removed: number;
}

/**
 * Records the runbooks found on disk: every distinct content becomes a version
 * (keyed by its sha256, kept forever), the `runbooks` row points at the current
 * one, and runbooks whose file disappeared are marked removed (incidents that
 * pinned them still read their versions).
 *
 * Replicas sync at once (all starting together, or a rolling deploy where
 * some have files the others lack): one at a time, under a transaction-scoped
 * advisory lock. Without it two syncs that lock the same rows in different
 * orders (one upserting a runbook the other marks removed) deadlock.
 */
export async function syncRunbooks({
  ctx,
  input,
}: {
  ctx: { db: Db };
  input: { files: RunbookFile[] };
}): Promise<SyncSummary> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('alertbook:runbook-sync', 0))`);
    let newVersions = 0;
    for (const { parsed, gitCommit } of input.files) {
      const inserted = await tx
        .insert(runbookVersions)
        .values({
          runbookId: parsed.id,
          sha: parsed.sha,
          path: parsed.path,
          gitCommit,
          content: parsed.content,
          frontmatter: {
            title: parsed.title,
            alerts: parsed.alerts,
            owner: parsed.owner,
            datasource: parsed.datasource,
          },
        })
        .onConflictDoNothing()
        .returning({ sha: runbookVersions.sha });
      newVersions += inserted.length;
      const row = {
        path: parsed.path,
        title: parsed.title,
        alerts: parsed.alerts,
        owner: parsed.owner,
        currentSha: parsed.sha,
        removed: false,
      };
      await tx
        .insert(runbooks)
        .values({ id: parsed.id, ...row })
        .onConflictDoUpdate({
          target: runbooks.id,
          set: { ...row, updatedAt: sql`now()` },
          // Leave updated_at alone when nothing changed.
          setWhere: sql`(${runbooks.currentSha}, ${runbooks.path}, ${runbooks.removed}) is distinct from (${parsed.sha}, ${parsed.path}, false)`,
        });
    }
    const present = input.files.map((f) => f.parsed.id);
    const removed = await tx
      .update(runbooks)
      .set({ removed: true, updatedAt: sql`now()` })
      .where(and(eq(runbooks.removed, false), present.length ? notInArray(runbooks.id, present) : undefined))
      .returning({ id: runbooks.id });
    return { runbooks: input.files.length, newVersions, removed: removed.length };
  });
}
