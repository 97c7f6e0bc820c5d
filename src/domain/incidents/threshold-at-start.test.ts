import { describe, expect, it } from 'vitest';
import type { CellRuleThreshold } from './cell-rule-threshold.js';
import { type AppliedThresholdMove, thresholdAtIncidentStart } from './threshold-at-start.js';

const today: CellRuleThreshold = {
  alertname: 'APIHighLatency',
  group: 'api',
  file: 'rules/api.yml',
  line: 4,
  thresholdIndex: 0,
  operator: '>',
  value: 0.7,
  text: '0.7',
};
const move = (decisionId: number, from: number, appliedAt: string, rule: Partial<AppliedThresholdMove> = {}) => ({
  decisionId,
  ruleGroup: 'api',
  file: 'rules/api.yml',
  line: 4,
  thresholdIndex: 0,
  from,
  appliedAt: new Date(appliedAt),
  ...rule,
});

describe('thresholdAtIncidentStart', () => {
  it("is today's threshold when no decision moved it since the incident started", () => {
    expect(thresholdAtIncidentStart(today, [])).toEqual({ ...today, movedSince: null });
  });

  it("is the first later decision's from-value, with that decision and today's value beside it", () => {
    const moves = [move(3, 0.5, '2026-11-02T11:00:00Z'), move(5, 0.6, '2026-11-02T13:00:00Z')];
    expect(thresholdAtIncidentStart(today, moves)).toEqual({
      ...today,
      value: 0.5,
      text: '0.5',
      movedSince: { decisionId: 3, appliedAt: '2026-11-02T11:00:00.000Z', value: 0.7, text: '0.7' },
    });
  });

  it('ignores decisions on another threshold, group, file or rule (line) of the alertname', () => {
    const moves = [
      move(1, 0.1, '2026-11-02T11:00:00Z', { thresholdIndex: 1 }),
      move(2, 0.2, '2026-11-02T11:00:00Z', { ruleGroup: 'batch' }),
      move(3, 0.3, '2026-11-02T11:00:00Z', { file: 'rules/other.yml' }),
      // The warning rule of a pair whose critical one this is.
      move(4, 0.4, '2026-11-02T11:00:00Z', { line: 9 }),
    ];
    expect(thresholdAtIncidentStart(today, moves)).toEqual({ ...today, movedSince: null });
  });

  it('says nothing moved when decisions since moved it away and back', () => {
    expect(thresholdAtIncidentStart(today, [move(1, 0.7, '2026-11-02T11:00:00Z')])).toEqual({
      ...today,
      movedSince: null,
    });
  });
});
