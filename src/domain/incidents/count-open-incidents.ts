import { count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidents } from '../../db/schema/index.js';

export async function countOpenIncidents({ ctx }: { ctx: { db: Db } }): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(incidents).where(eq(incidents.status, 'firing'));
  return row?.n ?? 0;
}
