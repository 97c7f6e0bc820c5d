import { describe, expect, it } from 'vitest';
import { knownRulesOfFile } from '../known-rules.js';
import { ruleHoldingTo, ruleMatchesTo } from './rule-matches.js';

const ruleOf = (body: string) =>
  knownRulesOfFile({
    path: 'rules/api.yml',
    content: `groups:\n  - name: api\n    rules:\n      - alert: Errors\n${body}`,
  })[0]!;
const DECISION = { alertname: 'Errors', ruleGroup: 'api', file: 'rules/api.yml', line: 4, thresholdIndex: 0 };
const TO = { threshold: 0.1, for: '10m', keepFiringFor: null, expr: null };

describe('a loaded rule holding a decision’s to-values', () => {
  it('matches when every to-value is held, whatever the fields the decision leaves alone', () => {
    const rule = ruleOf('        expr: rate(errors_total[5m]) > 0.1\n        for: 10m\n        keep_firing_for: 1m\n');
    expect(ruleMatchesTo(rule, { ...DECISION, toValues: TO })).toBe(true);
  });

  it.each([
    ['the threshold only', '        expr: rate(errors_total[5m]) > 0.1\n        for: 5m\n', DECISION],
    [
      'another group',
      '        expr: rate(errors_total[5m]) > 0.1\n        for: 10m\n',
      { ...DECISION, ruleGroup: 'web' },
    ],
    [
      'another threshold index',
      '        expr: rate(errors_total[5m]) > 0.1\n        for: 10m\n',
      { ...DECISION, thresholdIndex: 1 },
    ],
  ])('does not match %s', (_, body, decision) => {
    expect(ruleMatchesTo(ruleOf(body), { ...decision, toValues: TO })).toBe(false);
  });

  it('compares a whole new expression without surrounding whitespace', () => {
    const rule = ruleOf('        expr: |\n          up == 0\n');
    const to = { threshold: null, for: null, keepFiringFor: null, expr: 'up == 0' };
    expect(ruleMatchesTo(rule, { ...DECISION, toValues: to })).toBe(true);
  });
});

describe('the rule a decision is about, of a warning/critical pair in one group', () => {
  const pair = (warning: number, critical: number, above = '') =>
    knownRulesOfFile({
      path: 'rules/api.yml',
      content: `groups:\n  - name: api\n    rules:\n${above}      - alert: Errors\n        expr: rate(errors_total[5m]) > ${warning}\n        labels: { severity: warning }\n      - alert: Errors\n        expr: rate(errors_total[5m]) > ${critical}\n        labels: { severity: critical }\n`,
    });
  const onWarning = { ...DECISION, toValues: { threshold: 0.2, for: null, keepFiringFor: null, expr: null } };

  it("is the one at the decision's line: the other taking the to-values does not apply it", () => {
    expect(ruleHoldingTo(pair(0.1, 0.2), onWarning)).toBeNull();
    expect(ruleHoldingTo(pair(0.2, 0.5), onWarning)?.labels.severity).toBe('warning');
  });

  it('is any of them holding the to-values once none is at that line (an edit above moved them)', () => {
    const moved = pair(0.2, 0.5, '      # moved down a line\n');
    expect(moved.map((rule) => rule.line)).toEqual([5, 8]);
    expect(ruleHoldingTo(moved, onWarning)?.labels.severity).toBe('warning');
  });
});
