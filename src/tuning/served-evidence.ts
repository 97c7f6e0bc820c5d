import type { TuningEvidenceKind } from '../db/schema/index.js';

/** The opaque id clients see: the kind, then the row (`baseline-12`, `backtest-7`). */
export function evidenceIdOf(kind: TuningEvidenceKind, rowId: number): string {
  return `${kind}-${rowId}`;
}

/** A stored result as it was answered: its evidence id first, then the result's own keys, the same bytes every time. */
export function servedEvidence(id: string, resultJson: string): string {
  return resultJson === '{}' ? `{"id":${JSON.stringify(id)}}` : `{"id":${JSON.stringify(id)},${resultJson.slice(1)}`;
}
