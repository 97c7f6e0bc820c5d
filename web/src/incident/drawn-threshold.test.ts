import { describe, expect, it } from 'vitest';
import type { IncidentCell } from '../api/types.js';
import { liveThreshold, pinnedThreshold } from './drawn-threshold.js';

// A cell whose own `threshold=` is 1 and whose chart, at this incident, draws the firing rule's 3 (moved since).
const cell = {
  threshold: 1,
  ruleThreshold: { alertname: 'HighLatency', operator: '>', value: 3, text: '3' },
} as unknown as IncidentCell;

describe('the threshold line a chart draws', () => {
  it("live: the firing rule's where the cell charts it, else the cell's own", () => {
    expect(liveThreshold(cell)).toEqual({ threshold: 3, thresholdOperator: '>' });
    expect(liveThreshold({ ...cell, ruleThreshold: null })).toEqual({ threshold: 1, thresholdOperator: null });
    expect(liveThreshold(undefined)).toEqual({ threshold: null, thresholdOperator: null });
  });

  it('pinned: the line recorded when the snapshot was taken, not the one drawn today', () => {
    expect(pinnedThreshold({ threshold: { value: 2, operator: '>' } }, cell)).toEqual({
      threshold: 2,
      thresholdOperator: '>',
    });
    expect(pinnedThreshold({ threshold: null }, cell)).toEqual({ threshold: null, thresholdOperator: null });
  });

  it("pinned before snapshots recorded their line: the cell's line of today", () => {
    expect(pinnedThreshold({}, cell)).toEqual({ threshold: 3, thresholdOperator: '>' });
  });
});
