import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { tuningEvidence, type TuningEvidenceKind } from '../schema/index.js';

export interface EvidenceRow {
  id: number;
  kind: TuningEvidenceKind;
  resultJson: string;
}

export async function insertEvidence(
  db: Db,
  row: {
    kind: TuningEvidenceKind;
    alertname: string;
    ruleGroup: string;
    file: string;
    ruleVersion: string;
    resultJson: string;
    createdBy: string;
    createdAt: Date;
  },
): Promise<number> {
  const [inserted] = await db.insert(tuningEvidence).values(row).returning({ id: tuningEvidence.id });
  return inserted!.id;
}

export async function selectEvidence(db: Db, id: number): Promise<EvidenceRow | null> {
  const [row] = await db
    .select({ id: tuningEvidence.id, kind: tuningEvidence.kind, resultJson: tuningEvidence.resultJson })
    .from(tuningEvidence)
    .where(eq(tuningEvidence.id, id));
  return row ?? null;
}
