import { describe, expect, it } from 'vitest';
import { checkRunbooks as check } from './check-runbooks.js';
import { parseRuleFile } from '../rules/parse-rule-file.js';
import { parseRunbook } from '../runbooks/parse-runbook.js';
import { fixtureText } from '../../../test/support/fixtures.js';

const SECTIONS = '## Meaning\n## Impact\n## Diagnosis\n## Mitigation\n';

function runbook(path: string, frontmatter: string, body = SECTIONS) {
  return parseRunbook({ path, content: `---\n${frontmatter}\n---\n${body}` });
}

function rules(yaml: string, path = 'rules.yaml') {
  return parseRuleFile({ path, content: yaml });
}

function alertRule(name: string, expr = 'up == 0', extra = '') {
  return `      - alert: ${name}\n        expr: ${expr}\n${extra}`;
}

function ruleFile(...alerts: string[]) {
  return rules(`groups:\n  - name: g\n    rules:\n${alerts.join('')}`);
}

function codes(report: ReturnType<typeof check>) {
  return report.problems.map(({ file, line, code }) => `${file}:${line} ${code}`);
}

describe('rules ↔ runbooks', () => {
  it('links by frontmatter, file name and runbook_url without problems', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [
        runbook('a.md', 'title: A\nalerts: [A]'),
        runbook('b-alert.md', 'title: B\nalerts: []'),
        runbook('ops/c.md', 'title: C\nalerts: []'),
      ],
      ruleFiles: [
        ruleFile(
          alertRule('A'),
          alertRule('BAlert'),
          alertRule('C', 'up', '        annotations:\n          runbook_url: /runbooks/ops/c\n'),
        ),
      ],
    });
    expect(report.problems).toEqual([]);
    expect(report.runbooks.map(({ file }) => file)).toEqual([
      'runbooks/a.md',
      'runbooks/b-alert.md',
      'runbooks/ops/c.md',
    ]);
    expect(report.ruleCount).toBe(3);
  });

  it('reports an alert without a runbook at its alert key, naming the file to add', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [],
      ruleFiles: [ruleFile(alertRule('APIErrorRateHigh'))],
    });
    expect(report.problems).toEqual([
      {
        file: 'rules.yaml',
        line: 4,
        column: 9,
        severity: 'error',
        code: 'missing-runbook',
        message:
          'alert APIErrorRateHigh has no runbook: no runbook lists it under alerts:, none is named after it, and it has no runbook_url; ' +
          'add runbooks/api-error-rate-high.md or list "APIErrorRateHigh" under alerts: in a runbook',
      },
    ]);
  });

  it('accepts an alert whose runbook_url points somewhere else entirely', () => {
    const external = '        annotations:\n          runbook_url: https://wiki.example.com/pages/A\n';
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [],
      ruleFiles: [ruleFile(alertRule('A', 'up', external))],
    });
    expect(report.problems).toEqual([]);
  });

  it('reports a runbook_url of ours that resolves to nothing, even when another link serves the alert', () => {
    const broken = '        annotations:\n          runbook_url: /runbooks/gone\n';
    const served = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: A\nalerts: [A]')],
      ruleFiles: [ruleFile(alertRule('A', 'up', broken))],
    });
    expect(codes(served)).toEqual(['rules.yaml:4 runbook-url-unresolved']);

    const unserved = check({
      runbooksDir: 'runbooks',
      runbooks: [],
      ruleFiles: [ruleFile(alertRule('A', 'up', broken))],
    });
    expect(unserved.problems).toEqual([
      expect.objectContaining({
        code: 'missing-runbook',
        message: expect.stringContaining('add runbooks/gone.md or point runbook_url at an existing runbook'),
      }),
    ]);
  });

  it('reports every kube-prometheus alert as missing a runbook when none exists', () => {
    const names = [
      'kube-prometheus_alertmanager-prometheusRule.yaml',
      'kube-prometheus_kubePrometheus-prometheusRule.yaml',
      'kube-prometheus_nodeExporter-prometheusRule.yaml',
    ];
    const ruleFiles = names.map((name) => parseRuleFile({ path: name, content: fixtureText(`rules/${name}`) }));
    const report = check({ runbooksDir: 'runbooks', runbooks: [], ruleFiles });
    expect(report.ruleCount).toBe(9 + 12 + 41);
    // And five Alertmanager descriptions that read $labels.job from series aggregated without it.
    expect(report.problems).toHaveLength(9 + 4 + 26 + 5);
    expect(new Set(report.problems.map((p) => `${p.severity} ${p.code}`))).toEqual(
      new Set(['error missing-runbook', 'warning template-unknown-label']),
    );
    expect(report.problems[0]?.message).toBe(
      'alert AlertmanagerFailedReload has no runbook: its runbook_url ' +
        '"https://runbooks.prometheus-operator.dev/runbooks/alertmanager/alertmanagerfailedreload" names no runbook in runbooks; ' +
        'add runbooks/alertmanager/alertmanagerfailedreload.md or point runbook_url at an existing runbook',
    );
  });

  it('links kube-prometheus alerts to runbooks named as their runbook_url says', () => {
    const ruleFiles = [
      parseRuleFile({
        path: 'am.yaml',
        content: fixtureText('rules/kube-prometheus_alertmanager-prometheusRule.yaml'),
      }),
    ];
    const alertnames = new Set(ruleFiles[0]!.rules.map((rule) => rule.name));
    const runbooks = [...alertnames].map((name) =>
      runbook(`alertmanager/${name.toLowerCase()}.md`, `title: ${name}\nalerts: []`),
    );
    const { problems } = check({ runbooksDir: 'runbooks', runbooks, ruleFiles });
    expect(problems.filter((problem) => problem.code !== 'template-unknown-label')).toEqual([]);
  });

  it('warns about a runbook claiming an alert no rule defines, on the line naming it', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: Disk\nalerts:\n  - DiskFull\n  - Disk\nowner: Disk team')],
      ruleFiles: [ruleFile(alertRule('DiskFull'))],
    });
    expect(report.problems).toEqual([
      {
        file: 'runbooks/a.md',
        line: 5,
        column: 1,
        severity: 'warning',
        code: 'orphan-runbook',
        message: 'runbook serves alert Disk, but no alerting rule defines it (renamed or removed?)',
      },
    ]);
  });

  it('judges match only on labels the rule sets statically; others come at run time', () => {
    const rule = alertRule('A', 'sum by (namespace) (up)', '        labels:\n          severity: page\n');
    const runtime = runbook('ns.md', 'title: NS\nalerts: [A]\nmatch:\n  namespace: payments');
    const excluded = runbook('ticket.md', 'title: T\nalerts: [A]\nmatch:\n  severity: ticket\n  namespace: payments');
    const report = check({ runbooksDir: 'runbooks', runbooks: [runtime, excluded], ruleFiles: [ruleFile(rule)] });
    expect(codes(report)).toEqual(['rules.yaml:4 missing-runbook', 'runbooks/ticket.md:3 orphan-runbook']);
    expect(report.problems[0]?.message).toContain(
      '"ns" (match: namespace="payments") only serves some of its label values',
    );
    expect(report.links.rulesOf.get('ns')?.map(({ rule: r }) => r.name)).toEqual(['A']);
  });

  it('cross-checks nothing when there are no rule files', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: A\nalerts: [Gone]')],
      ruleFiles: [],
    });
    expect(report.problems).toEqual([]);
  });

  it('warns about rules defined twice with the same labels', () => {
    const report = check({
      runbooksDir: '.',
      runbooks: [runbook('a.md', 'title: A\nalerts: [A]')],
      ruleFiles: [ruleFile(alertRule('A'), alertRule('A'))],
    });
    expect(codes(report)).toEqual(['rules.yaml:6 duplicate-rule']);
  });
});

describe('runbooks against each other', () => {
  it('reports a duplicate id on the later file, naming the first', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('b.md', 'id: same\ntitle: B\nalerts: []'), runbook('a.md', 'id: same\ntitle: A\nalerts: []')],
      ruleFiles: [],
    });
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'runbooks/b.md',
        line: 2,
        code: 'duplicate-runbook-id',
        message: 'runbook id "same" is also the id of runbooks/a.md; ids must be unique',
      }),
    ]);
  });

  it.each([
    ['no matchers on either', '', '', true],
    ['the same equality', 'match: {team: a}', 'match: {team: a}', true],
    ['an equality inside the other regex', 'match: {team: a}', 'match: {team: "=~a|b"}', true],
    ['a regex and a negation leaving room', 'match: {team: "=~a|b"}', 'match: {team: "!=a"}', true],
    ['matchers on different labels', 'match: {team: a}', 'match: {tier: "1"}', true],
    ['different equalities', 'match: {team: a}', 'match: {team: b}', false],
    ['an equality outside the regex', 'match: {team: c}', 'match: {team: "=~a|b"}', false],
    ['an equality and its negation', 'match: {team: a}', 'match: {team: "!=a"}', false],
    ['different specificity', '', 'match: {team: a}', false],
  ])('claims of one alert with %s are ambiguous: %s', (_what, matchA, matchB, ambiguous) => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [
        runbook('a.md', `title: A\nalerts: [X]\n${matchA}`),
        runbook('b.md', `title: B\nalerts: [X]\n${matchB}`),
      ],
      ruleFiles: [],
    });
    expect(report.problems.filter((p) => p.code === 'ambiguous-runbook').map((p) => p.file)).toEqual(
      ambiguous ? ['runbooks/b.md'] : [],
    );
  });
});

describe('cells', () => {
  const cell = (attributes: string, query = 'up') => `${SECTIONS}\n\`\`\`promql ${attributes}\n${query}\n\`\`\`\n`;

  it.each([
    ['range=11000s step=1s', false],
    ['range=11001s step=1s', true],
    ['range=30d', false],
  ])('%s exceeds 11,000 points: %s', (attributes, tooMany) => {
    const report = check({
      runbooksDir: '.',
      runbooks: [runbook('a.md', 'title: A\nalerts: []', cell(attributes))],
      ruleFiles: [],
    });
    expect(report.problems.map((p) => `${p.line} ${p.code}`)).toEqual(tooMany ? ['10 too-many-points'] : []);
  });

  it('reports an invalid match regex on its line', () => {
    const report = check({
      runbooksDir: '.',
      runbooks: [runbook('a.md', 'title: A\nalerts: []\nmatch:\n  team: "=~(("')],
      ruleFiles: [],
    });
    expect(codes(report)).toEqual(['a.md:5 invalid-match-regex']);
  });

  it('warns about $labels the alert cannot carry, at the placeholder', () => {
    const query =
      'sum(rate(x{job="{{ $labels.job }}", pod="{{ $labels.pod }}", a="{{$annotations.summary}}", b="{{ $annotations.nope }}"}[5m]))';
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: A\nalerts: [A]', cell('instant', query))],
      ruleFiles: [
        ruleFile(alertRule('A', 'sum by (job) (rate(x[5m])) > 1', '        annotations:\n          summary: s\n')),
      ],
    });
    expect(report.problems.map(({ line, column, code }) => `${line}:${column} ${code}`)).toEqual([
      '11:42 unknown-label',
      '11:95 unknown-annotation',
    ]);
    expect(report.problems[0]?.message).toBe(
      '{{ $labels.pod }}: alert A cannot carry label "pod" (it has: alertname, job)',
    );
  });

  it.each([
    ['threshold=5e7', []],
    ['threshold=50000000', []],
    ['threshold=1.7e9', ['10:1 threshold-mismatch']],
    ['', []],
  ])("warns when a cell charting the alert's metric draws another threshold (%s)", (attributes, expected) => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [
        runbook('a.md', 'title: A\nalerts: [A]', cell(`range=1h ${attributes}`, 'process_resident_memory_bytes')),
      ],
      ruleFiles: [ruleFile(alertRule('A', 'process_resident_memory_bytes > 5e7'))],
    });
    expect(report.problems.map(({ line, column, code }) => `${line}:${column} ${code}`)).toEqual(expected);
    if (expected.length > 0) {
      expect(report.problems[0]?.message).toBe(
        'cell "cell-1": threshold=1700000000 is not the alert\'s threshold (A fires at > 5e7); the chart would draw a line the alert does not use',
      );
    }
  });

  it("leaves a cell's threshold alone when the cell charts another metric than the alert compares", () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: A\nalerts: [A]', cell('range=1h threshold=0.9', 'node_load1'))],
      ruleFiles: [ruleFile(alertRule('A', 'process_resident_memory_bytes > 5e7'))],
    });
    expect(report.problems).toEqual([]);
  });

  it('stays silent about labels when the expression does not tell which it yields', () => {
    const report = check({
      runbooksDir: 'runbooks',
      runbooks: [runbook('a.md', 'title: A\nalerts: [A]', cell('instant', 'x{pod="{{ $labels.pod }}"}'))],
      ruleFiles: [ruleFile(alertRule('A', 'info(up) > 0'))],
    });
    expect(report.problems).toEqual([]);
  });
});
