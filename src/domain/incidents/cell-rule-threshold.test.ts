import { describe, expect, it } from 'vitest';
import { knownRulesOfFile } from '../tuning/known-rules.js';
import { cellRuleThreshold as threshold, firingRules, type IncidentRules } from './cell-rule-threshold.js';

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

/** The rules at an incident of `labels`, as the incident's runbook is rendered. */
function at(labels: Record<string, string>): IncidentRules {
  return { firing: firingRules(RULES, labels), ofAlertname: RULES.filter((r) => r.alertname === labels.alertname) };
}

/** A cell without a threshold= of its own. */
const plain = (query: string) => ({ query, threshold: null });

describe('cellRuleThreshold', () => {
  const warning = at({ alertname: 'CacheMemoryHigh', severity: 'warning', instance: 'a' });
  const critical = at({ alertname: 'CacheMemoryHigh', severity: 'critical', instance: 'a' });

  it('finds the rule of the firing alert by alertname and its static labels', () => {
    expect(warning.firing.map((r) => r.labels.severity)).toEqual(['warning']);
  });

  it("draws the rule's threshold for a cell plotting its left-hand side, whatever the layout and label matchers", () => {
    const query = 'sum by(instance)(\n  process_resident_memory_bytes{job="cache", instance="a"}\n)';
    expect(threshold(plain(query), warning)).toEqual({
      alertname: 'CacheMemoryHigh',
      group: 'memory',
      file: 'rules.yaml',
      line: 4,
      thresholdIndex: 0,
      operator: '>',
      value: 50e6,
      text: '50e6',
    });
  });

  it('matches the whole expression too, and each side of a combined condition', () => {
    const errors = at({ alertname: 'ErrorsHigh' });
    expect(threshold(plain('(rate(errors_total[5m]) / rate(requests_total[5m]))'), errors)?.value).toBe(0.05);
    expect(threshold(plain('rate(requests_total[5m])'), errors)).toMatchObject({ value: 1, thresholdIndex: 1 });
  });

  it('draws nothing for another expression: a different grouping, range or function', () => {
    expect(threshold(plain('sum by (job) (process_resident_memory_bytes)'), warning)).toBeNull();
    expect(threshold(plain('max by (instance) (process_resident_memory_bytes)'), warning)).toBeNull();
    const errors = at({ alertname: 'ErrorsHigh' });
    expect(threshold(plain('rate(errors_total[1m]) / rate(requests_total[1m])'), errors)).toBeNull();
    expect(threshold(plain('sum('), warning)).toBeNull();
  });

  it("draws the firing severity's threshold where the cell's threshold= is another severity's, on a metric it reads", () => {
    // By instance and job: not the rule's expression, so only the cell's own threshold= says which line it means.
    const byJob = { query: 'sum by (instance, job) (process_resident_memory_bytes)', threshold: 50e6 };
    expect(threshold(byJob, critical)).toEqual({
      alertname: 'CacheMemoryHigh',
      group: 'memory',
      file: 'rules.yaml',
      line: 7,
      thresholdIndex: 0,
      operator: '>',
      value: 1e9,
      text: '1e9',
    });
    expect(threshold(byJob, warning)).toBeNull(); // the warning's own: the cell's line stands
    expect(threshold({ ...byJob, threshold: 7 }, critical)).toBeNull(); // no threshold of the alert
    expect(threshold(plain(byJob.query), critical)).toBeNull();
    const otherMetric = { query: 'sum by (instance) (go_memstats_heap_inuse_bytes)', threshold: 50e6 };
    expect(threshold(otherMetric, critical)).toBeNull();
  });
});
