import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../rules/parse-rule-file.js';
import { parseRunbook } from './parse-runbook.js';
import { scaffoldRunbook } from './scaffold-runbook.js';

function rulesOf(body: string) {
  return parseRuleFile({ path: 'rules.yaml', content: `groups:\n  - name: g\n    rules:\n${body}` }).rules;
}

const RATIO = rulesOf(`      - alert: APIErrorRateHigh
        expr: |
          sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
            / sum by (job) (rate(http_requests_total[5m])) > 0.05
        for: 10m
        labels: {severity: page, team: payments}
        annotations:
          summary: "{{ $labels.job }} fails {{ $value | humanizePercentage }} of requests"
          description: Job {{ $labels.job }} answers more than 5 % of requests with a 5xx.
`);

describe('scaffoldRunbook', () => {
  const { id, content } = scaffoldRunbook(RATIO);
  const runbook = parseRunbook({ path: `${id}.md`, content });

  it('links by file name and frontmatter, titled by the summary, owned by the team label', () => {
    expect(id).toBe('api-error-rate-high');
    expect(content.split('---')[1]).toBe(
      '\nid: api-error-rate-high\ntitle: "job fails … of requests"\nalerts: ["APIErrorRateHigh"]\nowner: "payments"\n',
    );
    expect(runbook.problems).toEqual([]);
    expect(runbook.sections).toEqual(['job fails … of requests', 'Meaning', 'Impact', 'Diagnosis', 'Mitigation']);
    expect(content).toContain('## Meaning\n\nJob job answers more than 5 % of requests with a 5xx.');
  });

  it("charts the rule's left-hand side with its threshold over 12 × for, then the ratio's parts", () => {
    expect(
      runbook.cells.map(({ title, query, range, step, threshold }) => ({ title, query, range, step, threshold })),
    ).toEqual([
      {
        title: 'APIErrorRateHigh',
        query:
          'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))\n  / sum by (job) (rate(http_requests_total[5m]))',
        range: 7_200,
        step: 30,
        threshold: 0.05,
      },
      {
        title: 'Numerator',
        query: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))',
        range: 7_200,
        step: 30,
        threshold: null,
      },
      {
        title: 'Denominator',
        query: 'sum by (job) (rate(http_requests_total[5m]))',
        range: 7_200,
        step: 30,
        threshold: null,
      },
    ]);
  });

  it('leaves step stubs to tick and fill in', () => {
    expect(runbook.steps.map(({ text }) => text)).toHaveLength(6);
    expect(content).toContain('- [ ] TODO: the quickest safe way to stop the harm');
  });

  it("charts a histogram_quantile's buckets, and takes the widest comparison as the threshold", () => {
    const rules = rulesOf(`      - alert: SlowRequests
        expr: histogram_quantile(0.99, sum by (le) (rate(request_seconds_bucket[5m]))) > 0.5 and on() vector(1) > bool 0
`);
    const scaffolded = parseRunbook({ path: 'slow-requests.md', content: scaffoldRunbook(rules).content });
    expect(scaffolded.cells.map(({ title, query, threshold, range }) => [title, query, threshold, range])).toEqual([
      ['SlowRequests', 'histogram_quantile(0.99, sum by (le) (rate(request_seconds_bucket[5m])))', 0.5, 3_600],
      ['Buckets', 'sum by (le) (rate(request_seconds_bucket[5m]))', null, 3_600],
    ]);
    const simple = rulesOf(`      - alert: SlowRequests
        expr: histogram_quantile(0.99, sum by (le) (rate(request_seconds_bucket[5m]))) > 0.5
        for: 1d
`);
    const cells = parseRunbook({ path: 'x.md', content: scaffoldRunbook(simple).content }).cells;
    expect(cells.map(({ title, query, threshold, range, step }) => [title, query, threshold, range, step])).toEqual([
      ['SlowRequests', 'histogram_quantile(0.99, sum by (le) (rate(request_seconds_bucket[5m])))', 0.5, 604_800, 3_600],
      ['Buckets', 'sum by (le) (rate(request_seconds_bucket[5m]))', null, 604_800, 3_600],
    ]);
  });

  it("names the file after a runbook_url of ours, so the rule's link resolves", () => {
    const rules = rulesOf(`      - alert: DiskFull
        expr: node_filesystem_avail_bytes < 1e9
        annotations: {runbook_url: "https://wiki.example.com/runbooks/storage/disk-full"}
`);
    expect(scaffoldRunbook(rules).id).toBe('storage/disk-full');
  });
});
