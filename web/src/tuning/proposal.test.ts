import { describe, expect, it } from 'vitest';
import { backtestCandidates, proposedChange } from './proposal.js';
import type { RuleView } from './types.js';

const rule = {
  forSeconds: 300,
  keepFiringForSeconds: 0,
  thresholds: [{ index: 0, value: 0.35 }],
} as unknown as RuleView;

describe('proposedChange', () => {
  it('names only what differs from the rule', () => {
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.5, for: '5m', keepFiringFor: '0s' })).toEqual({
      threshold: 0.5,
    });
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.35, for: '10m', keepFiringFor: '0s' })).toEqual({
      for: '10m',
    });
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.5, for: ' 10m ', keepFiringFor: '0s' })).toEqual({
      threshold: 0.5,
      for: '10m',
    });
  });

  it('is null when nothing changes, a for spelled differently included, or when for is no duration', () => {
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.35, for: '300s', keepFiringFor: '0s' })).toBeNull();
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.5, for: 'soon', keepFiringFor: '0s' })).toBeNull();
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.5, for: '5m', keepFiringFor: 'later' })).toBeNull();
  });

  it('names a keep_firing_for that differs from the rule', () => {
    expect(proposedChange(rule, { thresholdIndex: 0, threshold: 0.35, for: '5m', keepFiringFor: ' 10m ' })).toEqual({
      keepFiringFor: '10m',
    });
  });
});

describe('backtestCandidates', () => {
  it('backtests the suggestion first, then the proposal', () => {
    expect(
      backtestCandidates(
        { thresholdIndex: 1, threshold: 0.8, for: '10m', keepFiringFor: '2m' },
        { threshold: 0.45, for: '5m' },
      ),
    ).toEqual({
      candidates: [
        { thresholdIndex: 1, threshold: 0.45, for: '5m' },
        { thresholdIndex: 1, threshold: 0.8, for: '10m', keepFiringFor: '2m' },
      ],
      suggestedAt: 0,
      proposedAt: 1,
    });
  });

  it('backtests the proposal alone without a suggestion', () => {
    expect(backtestCandidates({ thresholdIndex: 0, threshold: null, for: '', keepFiringFor: '' }, null)).toEqual({
      candidates: [{ thresholdIndex: 0 }],
      suggestedAt: null,
      proposedAt: 0,
    });
  });
});
