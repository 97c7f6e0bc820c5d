import { describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../api/types.js';
import { orderIncidents } from './incident-order.js';

function incident(id: number, fields: Partial<IncidentSummary>): IncidentSummary {
  return {
    id,
    status: 'firing',
    title: `incident ${id}`,
    severity: 'warning',
    alertname: 'X',
    groupLabels: {},
    startedAt: '2026-11-22T07:00:00Z',
    resolvedAt: null,
    resolvedBy: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    previousIncidentId: null,
    externalUrl: null,
    alertCount: 1,
    firingCount: 1,
    ...fields,
  };
}

describe('orderIncidents', () => {
  it('puts firing before acknowledged before resolved', () => {
    const ordered = orderIncidents([
      incident(1, { status: 'resolved', resolvedAt: '2026-11-22T07:30:00Z' }),
      incident(2, { acknowledgedAt: '2026-11-22T07:10:00Z' }),
      incident(3, {}),
    ]);
    expect(ordered.map((i) => i.id)).toEqual([3, 2, 1]);
  });

  it('within a state, puts the most severe first, then the newest', () => {
    const ordered = orderIncidents([
      incident(1, { severity: 'warning', startedAt: '2026-11-22T07:50:00Z' }),
      incident(2, { severity: 'critical', startedAt: '2026-11-22T07:00:00Z' }),
      incident(3, { severity: 'critical', startedAt: '2026-11-22T07:40:00Z' }),
      incident(4, { severity: null, startedAt: '2026-11-22T07:59:00Z' }),
      incident(5, { severity: 'page-me', startedAt: '2026-11-22T07:59:00Z' }),
    ]);
    expect(ordered.map((i) => i.id)).toEqual([3, 2, 1, 5, 4]);
  });

  it('orders resolved incidents by when they were resolved, severity aside', () => {
    const ordered = orderIncidents([
      incident(1, { status: 'resolved', severity: 'critical', resolvedAt: '2026-11-22T07:10:00Z' }),
      incident(2, { status: 'resolved', severity: 'info', resolvedAt: '2026-11-22T07:20:00Z' }),
    ]);
    expect(ordered.map((i) => i.id)).toEqual([2, 1]);
  });
});
