import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { incidents, incidentSteps, runbookVersions } from '../../db/schema/index.js';
import { runbookVersionView } from '../runbooks/runbook-view.js';
import { validate } from '../validate.js';
import { instant } from './list-occurrences.js';

const querySchema = z
  .object({
    // Incidents opened in [from, to).
    from: instant,
    to: instant,
    checked: z.enum(['true', 'false'], { message: 'expected true or false' }).optional(),
    // Incidents per page (each lists every step of its runbook).
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().regex(/^\d+$/, 'not a cursor returned by this API').optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['from'], message: 'must be before to' });

/** The steps of a stored runbook version (none if it is gone). Parsing is cached (runbook-view.ts). */
export async function stepsOfVersion(db: Db, runbookId: string, sha: string) {
  const [version] = await db
    .select()
    .from(runbookVersions)
    .where(and(eq(runbookVersions.runbookId, runbookId), eq(runbookVersions.sha, sha)));
  return version ? runbookVersionView(version).steps : [];
}

/**
 * Every step of the runbook version pinned to each incident opened in a range,
 * with whether it is ticked: the evidence the report's share of steps ticked
 * is recounted from. Incidents without a runbook have no steps. Paged by incident.
 */
export async function listSteps({ ctx, input }: { ctx: { db: Db }; input: unknown }) {
  const q = validate(querySchema, input);
  const where: (SQL | undefined)[] = [
    sql`${incidents.startedAt} >= ${q.from}::timestamptz`,
    sql`${incidents.startedAt} < ${q.to}::timestamptz`,
    isNotNull(incidents.runbookSha),
  ];
  if (q.cursor) where.push(gt(incidents.id, Number(q.cursor)));
  const found = await ctx.db
    .select({ id: incidents.id, runbookId: incidents.runbookId, sha: incidents.runbookSha })
    .from(incidents)
    .where(and(...where))
    .orderBy(asc(incidents.id))
    .limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const ids = page.map((i) => i.id);
  const [versions, ticks] = await Promise.all([
    Promise.all(
      [...new Set(page.map((i) => `${i.runbookId}\n${i.sha}`))].map(async (key) => {
        const [runbookId, sha] = key.split('\n') as [string, string];
        return [key, await stepsOfVersion(ctx.db, runbookId, sha)] as const;
      }),
    ),
    ids.length === 0
      ? []
      : ctx.db
          .select({ incidentId: incidentSteps.incidentId, stepId: incidentSteps.stepId })
          .from(incidentSteps)
          .where(and(inArray(incidentSteps.incidentId, ids), eq(incidentSteps.checked, true))),
  ]);
  const stepsOf = new Map(versions);
  const ticked = new Set(ticks.map((t) => `${t.incidentId}\n${t.stepId}`));
  const steps = page.flatMap((i) =>
    (stepsOf.get(`${i.runbookId}\n${i.sha}`) ?? []).map((step) => ({
      incidentId: i.id,
      runbookId: i.runbookId,
      sha: i.sha,
      stepId: step.id,
      checked: ticked.has(`${i.id}\n${step.id}`),
    })),
  );
  return {
    steps: q.checked === undefined ? steps : steps.filter((s) => String(s.checked) === q.checked),
    nextCursor: found.length > q.limit ? String(page[page.length - 1]!.id) : null,
  };
}
