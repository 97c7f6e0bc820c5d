import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { incidents } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';
import type { IncidentBus } from '../incident-bus.js';

/** What the incident-changing verbs need. */
export interface WriteContext {
  db: Db;
  clock: Clock;
  bus?: IncidentBus;
}

export async function assertIncidentExists(tx: Tx | Db, id: number): Promise<void> {
  const [row] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, id));
  if (!row) throw new NotFoundError(`incident ${id}`);
}
