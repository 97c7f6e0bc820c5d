import type { DecisionStatus, DecisionValues, TuningDecision } from './types.js';

/** The `/tuning` page's sections, in the order a reader acts on them. */
export const STATUS_SECTIONS: { title: string; statuses: DecisionStatus[] }[] = [
  { title: 'Proposed', statuses: ['proposed'] },
  { title: 'Applied', statuses: ['applied'] },
  { title: 'Verified', statuses: ['verified'] },
  { title: 'Rejected or superseded', statuses: ['rejected', 'superseded'] },
];

export function decisionsByStatus(
  decisions: readonly TuningDecision[],
): { title: string; decisions: TuningDecision[] }[] {
  return STATUS_SECTIONS.map((section) => ({
    title: section.title,
    decisions: decisions.filter((decision) => section.statuses.includes(decision.status)),
  }));
}

const FIELDS: { key: 'threshold' | 'for' | 'keepFiringFor' | 'expr'; label: string }[] = [
  { key: 'threshold', label: 'threshold' },
  { key: 'for', label: 'for' },
  { key: 'keepFiringFor', label: 'keep_firing_for' },
  { key: 'expr', label: 'expr' },
];

/** Each value the decision changes, from → to ("none" where the rule had no such value). */
export function decisionChanges(decision: { from: DecisionValues; to: DecisionValues }): {
  label: string;
  from: string;
  to: string;
}[] {
  return FIELDS.filter(({ key }) => decision.to[key] !== null && decision.to[key] !== undefined).map(
    ({ key, label }) => ({
      label,
      from: decision.from[key] === null || decision.from[key] === undefined ? 'none' : String(decision.from[key]),
      to: String(decision.to[key]),
    }),
  );
}

/** "threshold 0.35 → 0.5, for 2m → 10m": a decision in one line. */
export function describeChanges(decision: { from: DecisionValues; to: DecisionValues }): string {
  return decisionChanges(decision)
    .map((change) => `${change.label} ${change.from} → ${change.to}`)
    .join(', ');
}

/** An event's detail in words: `{ reason }`, `{ supersededBy: 4 }`, `{ ruleVersion }` as the reader wants them. */
export function describeEventDetail(detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  const parts = Object.entries(detail).map(([key, value]) => {
    if (key === 'reason') return String(value);
    if (key === 'supersededBy') return `superseded by decision #${String(value)}`;
    if (key === 'ruleVersion') return `rule version ${String(value).slice(0, 12)}`;
    return `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  });
  return parts.length ? parts.join('; ') : null;
}
