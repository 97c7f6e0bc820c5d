import { describe, expect, it } from 'vitest';
import { decisionsByStatus, describeChanges, describeEventDetail } from './decision-view.js';
import type { DecisionValues, TuningDecision } from './types.js';

const values = (v: Partial<DecisionValues>): DecisionValues => ({
  threshold: null,
  for: null,
  keepFiringFor: null,
  expr: null,
  ...v,
});

describe('describeChanges', () => {
  it('names each changed value from → to, and what the rule did not have as none', () => {
    expect(
      describeChanges({
        from: values({ threshold: 0.35, operator: '>', for: null }),
        to: values({ threshold: 0.5, for: '10m' }),
      }),
    ).toBe('threshold 0.35 → 0.5, for none → 10m');
  });

  it('leaves out what the decision does not change', () => {
    expect(describeChanges({ from: values({ threshold: 1, for: '5m' }), to: values({ for: '10m' }) })).toBe(
      'for 5m → 10m',
    );
  });
});

describe('decisionsByStatus', () => {
  it('puts each decision in its section, rejected and superseded together, keeping their order', () => {
    const decision = (id: number, status: TuningDecision['status']) => ({ id, status }) as TuningDecision;
    const sections = decisionsByStatus([
      decision(5, 'superseded'),
      decision(4, 'proposed'),
      decision(3, 'verified'),
      decision(2, 'rejected'),
      decision(1, 'proposed'),
    ]);
    expect(sections.map((s) => [s.title, s.decisions.map((d) => d.id)])).toEqual([
      ['Proposed', [4, 1]],
      ['Applied', []],
      ['Verified', [3]],
      ['Rejected or superseded', [5, 2]],
    ]);
  });
});

describe('describeEventDetail', () => {
  it('says what each detail the decisions API writes means', () => {
    expect(describeEventDetail(null)).toBeNull();
    expect(describeEventDetail({ reason: 'the spikes are real' })).toBe('the spikes are real');
    expect(describeEventDetail({ supersededBy: 4 })).toBe('superseded by decision #4');
    expect(describeEventDetail({ ruleVersion: 'abcdef0123456789' })).toBe('rule version abcdef012345');
    expect(describeEventDetail({ other: { a: 1 } })).toBe('other: {"a":1}');
  });
});
