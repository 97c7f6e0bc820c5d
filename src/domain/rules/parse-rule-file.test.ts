import { describe, expect, it } from 'vitest';
import { parseRuleFile } from './parse-rule-file.js';
import { fixtureText } from '../../../test/support/fixtures.js';

function parse(content: string) {
  return parseRuleFile({ path: 'rules.yaml', content });
}

function problemsOf(content: string) {
  return parse(content).problems.map(({ line, column, code, severity }) => ({ line, column, code, severity }));
}

describe('parseRuleFile on real rule files', () => {
  // The warnings are real: kube-prometheus' Alertmanager descriptions read $labels.job from series
  // aggregated `by (namespace, service)`, and Prometheus' own test file reads `$.labels` (lower case).
  it.each([
    ['kube-prometheus_alertmanager-prometheusRule.yaml', 9, 9, 5],
    ['kube-prometheus_kubePrometheus-prometheusRule.yaml', 12, 4, 0],
    ['kube-prometheus_nodeExporter-prometheusRule.yaml', 41, 26, 0],
    ['kube-prometheus_alertmanager.rules.DERIVED.yaml', 9, 9, 5],
    ['kube-prometheus_nodeExporter.rules.DERIVED.yaml', 41, 26, 0],
    ['prometheus_rulefmt_test.yaml', 6, 4, 3],
  ])('reads %s: %i rules, %i alerts, no errors, %i template warnings', (name, rules, alerts, warnings) => {
    const parsed = parseRuleFile({ path: name, content: fixtureText(`rules/${name}`) });
    expect(parsed.problems.filter((problem) => !problem.code.startsWith('template-unknown-'))).toEqual([]);
    expect(parsed.problems.filter((problem) => problem.severity === 'warning')).toHaveLength(warnings);
    expect(parsed.rules).toHaveLength(rules);
    expect(parsed.rules.filter((rule) => rule.kind === 'alert')).toHaveLength(alerts);
  });

  it('reads a PrometheusRule resource like the plain file derived from it', () => {
    const crd = parseRuleFile({
      path: 'a',
      content: fixtureText('rules/kube-prometheus_alertmanager-prometheusRule.yaml'),
    });
    const plain = parseRuleFile({
      path: 'b',
      content: fixtureText('rules/kube-prometheus_alertmanager.rules.DERIVED.yaml'),
    });
    const essence = (file: typeof crd) =>
      file.rules.map(({ name, expr, forSeconds, labels, annotations }) => ({
        name,
        expr,
        forSeconds,
        labels,
        annotations,
      }));
    expect(essence(crd)).toEqual(essence(plain));
  });

  it('gives each rule the position of its alert key and of its expression', () => {
    const parsed = parseRuleFile({
      path: 'a',
      content: fixtureText('rules/kube-prometheus_alertmanager-prometheusRule.yaml'),
    });
    const first = parsed.rules[0]!;
    expect(first).toMatchObject({
      kind: 'alert',
      name: 'AlertmanagerFailedReload',
      group: 'alertmanager.rules',
      forSeconds: 600,
      labels: { severity: 'critical' },
      // max_over_time(alertmanager_config_last_reload_successful{job=…,container=…,namespace=…}[5m]) == 0
      outputLabels: ['container', 'instance', 'job', 'namespace'],
      position: { line: 18, column: 7 },
      // `expr: |` is on line 23; the block's first line (a # comment) on 24, indented 8.
      exprPosition: { line: 24, column: 9 },
    });
    expect(first.annotations.runbook_url).toBe(
      'https://runbooks.prometheus-operator.dev/runbooks/alertmanager/alertmanagerfailedreload',
    );
  });

  it('skips Kubernetes objects that are not PrometheusRules, and says so when nothing is left', () => {
    expect(
      parseRuleFile({ path: 'a', content: fixtureText('rules/kube-prometheus_alertmanager-secret.yaml') }),
    ).toMatchObject({
      rules: [],
      problems: [{ severity: 'warning', code: 'no-rule-groups', line: 1, column: 1 }],
    });
  });
});

describe('parseRuleFile is as strict as promtool', () => {
  it.each([
    [
      'bad_field.bad.yaml',
      'unknown-field',
      'group "yolo", rule 1 ("hola"): unknown field "annotation" (allowed: record, alert, expr, for, keep_firing_for, labels, annotations)',
      { line: 8, column: 9 },
    ],
    [
      'bad_expr.bad.yaml',
      'promql-type',
      'group "yolo", rule 1 ("yolo"): 1:6: rate() needs a range vector such as metric[5m] as argument 1, got "hi"',
      { line: 5, column: 20 },
    ],
    [
      'record_and_for.bad.yaml',
      'invalid-field',
      'group "yolo", rule 1 ("Hello"): field "for" is not allowed in a recording rule',
      { line: 6, column: 9 },
    ],
  ])('refuses prometheus_rulefmt_%s as promtool does, at the offending spot', (name, code, message, position) => {
    const parsed = parseRuleFile({ path: name, content: fixtureText(`rules/prometheus_rulefmt_${name}`) });
    expect(parsed.problems).toEqual([{ severity: 'error', code, message, ...position }]);
  });

  it('reports a missing expr, both or neither of alert/record', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - alert: NoExpr',
      '      - alert: Both',
      '        record: both',
      '        expr: up',
      '      - expr: up',
    ].join('\n');
    expect(problemsOf(content)).toEqual([
      { line: 4, column: 9, code: 'missing-field', severity: 'error' },
      { line: 6, column: 17, code: 'alert-and-record', severity: 'error' },
      { line: 8, column: 9, code: 'missing-field', severity: 'error' },
    ]);
    expect(parse(content).rules).toEqual([]);
  });

  it('reports durations Prometheus would refuse, at their value', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    interval: 1.5m',
      '    rules:',
      '      - alert: A',
      '        expr: up',
      '        for: 5 minutes',
      '        keep_firing_for: 1h30m',
    ].join('\n');
    expect(problemsOf(content)).toEqual([
      { line: 3, column: 15, code: 'invalid-duration', severity: 'error' },
      { line: 7, column: 14, code: 'invalid-duration', severity: 'error' },
    ]);
    expect(parse(content).rules[0]).toMatchObject({ forSeconds: 0, keepFiringForSeconds: 5400 });
  });

  it('reports unknown keys at every level', () => {
    const content = ['groups:', '  - name: g', '    rule:', '      - alert: A', 'extra: 1'].join('\n');
    expect(problemsOf(content)).toEqual([
      { line: 2, column: 5, code: 'invalid-field', severity: 'error' },
      { line: 3, column: 5, code: 'unknown-field', severity: 'error' },
      { line: 5, column: 1, code: 'unknown-field', severity: 'error' },
    ]);
  });

  it('reports repeated group names, empty names and a non-integer limit', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    limit: ten',
      '    rules: []',
      '  - name: g',
      '    rules: []',
      '  - name: ""',
      '    rules: []',
    ].join('\n');
    expect(problemsOf(content)).toEqual([
      { line: 3, column: 12, code: 'invalid-field', severity: 'error' },
      { line: 5, column: 11, code: 'duplicate-group', severity: 'error' },
      { line: 7, column: 5, code: 'missing-field', severity: 'error' },
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problemsOf('groups:\n  - name: g\n    name: h\n    rules: []\n')).toEqual([
      { line: 3, column: 5, code: 'yaml-syntax', severity: 'error' },
    ]);
    expect(problemsOf('groups: [\n')[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error' });
  });

  it('warns that Prometheus ignores every YAML document after the first', () => {
    const content = 'groups: []\n---\ngroups:\n  - name: g\n    rules: []\n';
    expect(problemsOf(content)).toEqual([{ line: 3, column: 1, code: 'ignored-document', severity: 'warning' }]);
  });
});

describe('parseRuleFile templates in alerting rules', () => {
  const rule = (annotations: string, expr = 'sum by (job) (rate(errors_total[5m])) > 1') =>
    `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${expr}\n        labels:\n          severity: page\n        annotations:\n${annotations}`;

  it('reports a template promtool refuses at its character in the YAML file', () => {
    const content = rule('          summary: "{{ $value | humanizePercent }} of requests fail"\n');
    expect(parse(content).problems).toEqual([
      {
        severity: 'error',
        code: 'template-syntax',
        message: 'group "g", rule 1 ("A"): annotations.summary: function "humanizePercent" not defined',
        line: 9,
        column: 33,
      },
    ]);
  });

  it('finds the position inside a literal block', () => {
    const content = rule(
      '          description: |\n            fine {{ $labels.job }}\n            {{ if true }} never closed\n',
    );
    expect(problemsOf(content)).toEqual([{ line: 11, column: 16, code: 'template-syntax', severity: 'error' }]);
  });

  it("warns about labels the expression's series cannot carry, static labels included (they are added after)", () => {
    const content = rule('          summary: "{{ $labels.job }} {{ $labels.severity }} {{ .Labels.pod }}"\n');
    const problems = parse(content).problems;
    expect(problems.map(({ line, column, code }) => `${line}:${column} ${code}`)).toEqual([
      '9:49 template-unknown-label',
      '9:72 template-unknown-label',
    ]);
    expect(problems[0]?.message).toBe(
      'group "g", rule 1 ("A"): annotations.summary reads $labels.severity, which the expression\'s series never carry (they have: job); it would render empty',
    );
  });

  it('stays silent about labels when a bare selector may carry any label', () => {
    const content = rule('          summary: "{{ $labels.device }}"\n', 'node_filesystem_avail_bytes < 1e9');
    expect(parse(content).problems).toEqual([]);
  });

  it('does not read templates in recording rules, which Prometheus never expands', () => {
    const content =
      'groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        labels:\n          x: "{{ nope"\n';
    expect(parse(content).problems).toEqual([]);
  });

  it('reports label names and recording rule names Prometheus refuses', () => {
    const content =
      'groups:\n  - name: g\n    rules:\n      - record: a-b\n        expr: up\n        labels:\n          bad-name: x\n';
    expect(problemsOf(content)).toEqual([
      { line: 4, column: 17, code: 'invalid-field', severity: 'error' },
      { line: 7, column: 11, code: 'invalid-field', severity: 'error' },
    ]);
  });
});

describe('parseRuleFile values', () => {
  it('keeps every scalar as the string written, as Prometheus does', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - alert: A',
      '        expr: 1.10',
      '        labels:',
      '          on: yes',
      '          n: 010',
    ].join('\n');
    expect(parse(content).rules[0]).toMatchObject({ expr: '1.10', labels: { on: 'yes', n: '010' } });
  });

  it('overlays group labels with rule labels', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    labels: {team: a, tier: "1"}',
      '    rules:',
      '      - alert: A',
      '        expr: up',
      '        labels: {team: b}',
    ].join('\n');
    expect(parse(content).rules[0]?.labels).toEqual({ team: 'b', tier: '1' });
  });

  it.each([
    ['a plain one-liner', '        expr: sum(up) by job', { line: 5, column: 26 }],
    ['a double-quoted string', '        expr: "sum(up) by job"', { line: 5, column: 27 }],
    ['a literal block', '        expr: |\n          sum(up)\n            by job', { line: 7, column: 16 }],
  ])('places a PromQL syntax error inside %s on its character', (_shape, exprLines, position) => {
    const content = ['groups:', '  - name: g', '    rules:', '      - alert: A', exprLines].join('\n');
    expect(parse(content).problems).toEqual([expect.objectContaining({ code: 'promql-syntax', ...position })]);
  });

  it('falls back to the start of an escaped scalar, where offsets no longer line up', () => {
    const content = [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - alert: A',
      '        expr: "up{job=\\"a\\"} by"',
    ].join('\n');
    expect(parse(content).problems).toEqual([expect.objectContaining({ code: 'promql-syntax', line: 5, column: 15 })]);
  });
});
