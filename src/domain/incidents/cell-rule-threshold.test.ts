import { describe, expect, it } from 'vitest';
import { knownRulesOfFile } from '../tuning/known-rules.js';
import { cellRuleThreshold, firingRules } from './cell-rule-threshold.js';

const RULES = knownRulesOfFile({
  path: 'rules.yaml',
  content: `groups:
  - name: memory
    rules:
      - alert: CacheMemoryHigh
        expr: sum by (instance) (process_resident_memory_bytes{job="cache"}) > 50e6
        labels: { severity: warning }
      - alert: CacheMemoryHigh
        expr: sum by (instance) (process_resident_memory_bytes{job="cache"}) > 1e9
        labels: { severity: critical }
      - alert: ErrorsHigh
        expr: rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05 and rate(requests_total[5m]) > 1
`,
});

describe('cellRuleThreshold', () => {
  const warning = firingRules(RULES, { alertname: 'CacheMemoryHigh', severity: 'warning', instance: 'a' });

  it('finds the rule of the firing alert by alertname and its static labels', () => {
    expect(warning.map((r) => r.labels.severity)).toEqual(['warning']);
  });

  it("draws the rule's threshold for a cell plotting its left-hand side, whatever the layout and label matchers", () => {
    const query = 'sum by(instance)(\n  process_resident_memory_bytes{job="cache", instance="a"}\n)';
    expect(cellRuleThreshold(query, warning)).toEqual({
      alertname: 'CacheMemoryHigh',
      operator: '>',
      value: 50e6,
      text: '50e6',
    });
  });

  it('matches the whole expression too, and each side of a combined condition', () => {
    const errors = firingRules(RULES, { alertname: 'ErrorsHigh' });
    expect(cellRuleThreshold('(rate(errors_total[5m]) / rate(requests_total[5m]))', errors)?.value).toBe(0.05);
    expect(cellRuleThreshold('rate(requests_total[5m])', errors)?.value).toBe(1);
  });

  it('draws nothing for another expression: a different grouping, range or function', () => {
    expect(cellRuleThreshold('sum by (job) (process_resident_memory_bytes)', warning)).toBeNull();
    expect(cellRuleThreshold('max by (instance) (process_resident_memory_bytes)', warning)).toBeNull();
    const errors = firingRules(RULES, { alertname: 'ErrorsHigh' });
    expect(cellRuleThreshold('rate(errors_total[1m]) / rate(requests_total[1m])', errors)).toBeNull();
    expect(cellRuleThreshold('sum(', warning)).toBeNull();
  });
});
