import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractThresholds } from './extract-thresholds.js';
import { locateThresholds } from './locate-thresholds.js';
import { alertingRuleNodes } from './rule-file-nodes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Expected = string | string[];

/**
 * Every alerting rule of the shipped rule files and of the fixtures
 * (kube-prometheus mixins, in PrometheusRule and plain form; Prometheus'
 * rulefmt test file): `operator literal @line:column` of each threshold in the
 * file, or the no_threshold reason. Reviewed by hand against the files.
 */
const RULES: Record<string, [alertname: string, line: number, expected: Expected][]> = {
  'test/fixtures/rules/kube-prometheus_alertmanager-prometheusRule.yaml': [
    ['AlertmanagerFailedReload', 18, ['== 0 @26:147']],
    ['AlertmanagerMembersInconsistent', 30, 'compared with another series'],
    ['AlertmanagerFailedToSendAlerts', 44, ['> 0.01 @55:11']],
    ['AlertmanagerClusterFailedToSendAlerts', 59, ['> 0 @68:178', '> 0.01 @70:11']],
    ['AlertmanagerClusterFailedToSendAlerts', 74, ['> 0 @83:178', '> 0.01 @85:11']],
    ['AlertmanagerConfigInconsistent', 89, ['!= 1 @98:12']],
    ['AlertmanagerClusterDown', 102, ['< 0.5 @110:110', '>= 0.5 @117:12']],
    ['AlertmanagerClusterCrashlooping', 121, ['> 4 @129:129', '>= 0.5 @136:12']],
    ['AlertmanagerClusterFailedPeers', 140, ['> 0 @148:137']],
  ],
  'test/fixtures/rules/kube-prometheus_alertmanager.rules.DERIVED.yaml': [
    ['AlertmanagerFailedReload', 5, ['== 0 @14:145']],
    ['AlertmanagerMembersInconsistent', 20, 'compared with another series'],
    ['AlertmanagerFailedToSendAlerts', 29, ['> 0.01 @34:311']],
    ['AlertmanagerClusterFailedToSendAlerts', 38, ['> 0 @43:385', '> 0.01 @43:393']],
    ['AlertmanagerClusterFailedToSendAlerts', 47, ['> 0 @52:385', '> 0.01 @52:393']],
    ['AlertmanagerConfigInconsistent', 56, ['!= 1 @61:212']],
    ['AlertmanagerClusterDown', 65, ['< 0.5 @70:156', '>= 0.5 @70:301']],
    ['AlertmanagerClusterCrashlooping', 74, ['> 4 @79:175', '>= 0.5 @79:318']],
    ['AlertmanagerClusterFailedPeers', 83, ['> 0 @92:135']],
  ],
  'test/fixtures/rules/kube-prometheus_kubePrometheus-prometheusRule.yaml': [
    ['TargetDown', 16, ['== 0 @21:32', '> 10 @21:126']],
    ['Watchdog', 25, 'no comparison'],
    ['InfoInhibitor', 38, ['== 1 @49:64', '== 1 @49:206']],
    ['NodeNetworkInterfaceFlapping', 54, ['> 2 @60:78']],
  ],
  'test/fixtures/rules/kube-prometheus_nodeExporter-prometheusRule.yaml': [
    ['NodeFilesystemSpaceFillingUp', 17, ['< 15 @24:170', '< 0 @26:118', '== 0 @28:86']],
    ['NodeFilesystemSpaceFillingUp', 33, ['< 10 @40:170', '< 0 @42:117', '== 0 @44:86']],
    ['NodeFilesystemAlmostOutOfSpace', 49, ['< 5 @56:170', '== 0 @58:86']],
    ['NodeFilesystemAlmostOutOfSpace', 63, ['< 3 @70:170', '== 0 @72:86']],
    ['NodeFilesystemFilesFillingUp', 77, ['< 40 @84:164', '< 0 @86:117', '== 0 @88:86']],
    ['NodeFilesystemFilesFillingUp', 93, ['< 20 @100:164', '< 0 @102:116', '== 0 @104:86']],
    ['NodeFilesystemAlmostOutOfFiles', 109, ['< 5 @116:164', '== 0 @118:86']],
    ['NodeFilesystemAlmostOutOfFiles', 123, ['< 3 @130:164', '== 0 @132:86']],
    ['NodeNetworkReceiveErrs', 137, ['> 0.01 @143:142']],
    ['NodeNetworkTransmitErrs', 147, ['> 0.01 @153:144']],
    ['NodeHighNumberConntrackEntriesUsed', 157, ['> 0.75 @163:94']],
    ['NodeTextFileCollectorScrapeError', 166, ['== 1 @172:60']],
    ['NodeClockSkewDetected', 175, ['> 0.05 @182:60', '>= 0 @184:72', '< -0.05 @188:60', '<= 0 @190:72']],
    ['NodeClockNotSynchronising', 195, ['== 0 @201:75', '>= 16 @203:61']],
    ['NodeRAIDDegraded', 207, ['> 0 @213:282']],
    ['NodeRAIDDiskFailure', 217, ['> 0 @223:139']],
    ['NodeFileDescriptorLimit', 226, ['> 70 @233:105']],
    ['NodeFileDescriptorLimit', 238, ['> 90 @245:105']],
    ['NodeCPUHighUsage', 250, ['> 90 @257:132']],
    ['NodeSystemSaturation', 261, ['> 2 @270:98']],
    ['NodeMemoryMajorPagesFaults', 274, ['> 500 @282:65']],
    ['NodeMemoryHighUtilization', 286, ['> 90 @293:127']],
    ['NodeDiskIOSaturation', 297, ['> 10 @305:162']],
    ['NodeSystemdServiceFailed', 309, ['== 1 @315:73']],
    ['NodeSystemdServiceCrashlooping', 319, ['> 2 @325:81']],
    ['NodeBondingDegraded', 329, ['!= 0 @335:98']],
  ],
  'test/fixtures/rules/kube-prometheus_nodeExporter.rules.DERIVED.yaml': [
    ['NodeFilesystemSpaceFillingUp', 5, ['< 15 @10:188', '< 0 @10:312', '== 0 @10:403']],
    ['NodeFilesystemSpaceFillingUp', 14, ['< 10 @19:188', '< 0 @19:311', '== 0 @19:402']],
    ['NodeFilesystemAlmostOutOfSpace', 23, ['< 5 @28:188', '== 0 @28:279']],
    ['NodeFilesystemAlmostOutOfSpace', 32, ['< 3 @37:188', '== 0 @37:279']],
    ['NodeFilesystemFilesFillingUp', 41, ['< 40 @46:182', '< 0 @46:305', '== 0 @46:396']],
    ['NodeFilesystemFilesFillingUp', 50, ['< 20 @55:182', '< 0 @55:304', '== 0 @55:395']],
    ['NodeFilesystemAlmostOutOfFiles', 59, ['< 5 @64:182', '== 0 @64:273']],
    ['NodeFilesystemAlmostOutOfFiles', 68, ['< 3 @73:182', '== 0 @73:273']],
    ['NodeNetworkReceiveErrs', 77, ['> 0.01 @82:145']],
    ['NodeNetworkTransmitErrs', 88, ['> 0.01 @93:147']],
    ['NodeHighNumberConntrackEntriesUsed', 99, ['> 0.75 @104:97']],
    ['NodeTextFileCollectorScrapeError', 109, ['== 1 @114:63']],
    ['NodeClockSkewDetected', 119, ['> 0.05 @124:68', '>= 0 @124:144', '< -0.05 @124:210', '<= 0 @124:287']],
    ['NodeClockNotSynchronising', 128, ['== 0 @133:78', '>= 16 @137:59']],
    ['NodeRAIDDegraded', 143, ['> 0 @148:285']],
    ['NodeRAIDDiskFailure', 154, ['> 0 @159:142']],
    ['NodeFileDescriptorLimit', 164, ['> 70 @169:115']],
    ['NodeFileDescriptorLimit', 173, ['> 90 @178:115']],
    ['NodeCPUHighUsage', 182, ['> 90 @189:135']],
    ['NodeSystemSaturation', 195, ['> 2 @206:96']],
    ['NodeMemoryMajorPagesFaults', 212, ['> 500 @221:68']],
    ['NodeMemoryHighUtilization', 227, ['> 90 @234:130']],
    ['NodeDiskIOSaturation', 240, ['> 10 @249:165']],
    ['NodeSystemdServiceFailed', 255, ['== 1 @260:76']],
    ['NodeSystemdServiceCrashlooping', 266, ['> 2 @271:84']],
    ['NodeBondingDegraded', 277, ['!= 0 @282:101']],
  ],
  'test/fixtures/rules/prometheus_rulefmt_bad_field.bad.yaml': [['hola', 4, 'no comparison']],
  'test/fixtures/rules/prometheus_rulefmt_test.yaml': [
    ['HighErrors', 5, 'no comparison'],
    ['HighErrors', 26, 'no comparison'],
    ['HighErrors', 40, 'no comparison'],
    ['HighErrors', 55, 'no comparison'],
  ],
  'runbooks/rules/alertbook.yaml': [
    ['AlertbookDown', 20, ['== 0 @22:34']],
    ['AlertbookWebhookFailing', 35, ['> 0 @38:13']],
    ['AlertbookRejectingNotifications', 47, ['> 0 @50:13']],
    ['AlertbookIngestSlow', 60, ['> 1 @63:13']],
  ],
  'runbooks/rules/web-api.yaml': [
    ['ApiHighErrorRate', 30, ['> 0.01 @35:13']],
    ['ApiHighErrorRate', 43, ['> 0.05 @48:13']],
    ['ApiHighLatency', 57, ['> 1 @60:13']],
    ['ApiHighLatency', 68, ['> 3 @71:13']],
    ['ApiNoTraffic', 83, ['== 0 @90:18', '> 0.1 @93:113']],
    ['ApiRequestRateAnomaly', 104, ['> 2 @110:15', '> 1 @112:71']],
    ['ApiRequestRateAnomaly', 121, ['< 0.5 @127:15', '> 1 @129:71']],
    ['DatabaseQueriesSlow', 141, ['> 0.1 @144:13']],
    ['DatabaseQueriesSlow', 152, ['> 0.5 @155:13']],
    ['DatabasePoolSaturated', 165, ['> 0.9 @170:13']],
    ['WebhookProcessingSlow', 181, ['> 5 @184:13']],
    ['WebhookProcessingSlow', 192, ['> 10 @195:13']],
    ['WebhookProcessingFailing', 204, ['> 0.05 @209:13']],
    ['WebhookProcessingFailing', 217, ['> 0.25 @222:13']],
    ['QueueBacklog', 233, ['> 1000 @234:51']],
    ['QueueBacklog', 242, ['> 5000 @243:51']],
    ['QueueBacklog', 251, ['> 9000 @252:51']],
    ['ProcessMemoryHigh', 264, ['> 1.7e9 @265:58']],
    ['ProcessMemoryHigh', 273, ['> 2.04e9 @274:58']],
    ['CacheHitRatioLow', 284, ['< 0.8 @290:15', '> 1 @292:121']],
    ['TargetDown', 302, ['== 0 @303:39']],
    ['TargetDown', 311, ['== 0 @312:54']],
  ],
};

describe('thresholds of real rule files', () => {
  const cases = Object.entries(RULES).flatMap(([file, rules]) =>
    rules.map(([alert, line, expected]) => ({ file, alert, line, expected })),
  );

  it('covers at least 40 rules', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$file:$line $alert', ({ file, alert, line, expected }) => {
    const content = readFileSync(`${root}${file}`, 'utf8');
    const rule = alertingRuleNodes(content).find((candidate) => candidate.line === line);
    expect(rule?.alert).toBe(alert);
    const extraction = locateThresholds(content, rule!);
    if (typeof expected === 'string') {
      expect(extraction.noThreshold).toBe(expected);
      return;
    }
    expect(extraction.thresholds.map((t) => `${t.operator} ${t.text} @${t.source?.line}:${t.source?.column}`)).toEqual(
      expected,
    );
    for (const threshold of extraction.thresholds) {
      // The span is the literal itself, in the file.
      expect(content.slice(threshold.source!.from, threshold.source!.to)).toBe(threshold.text);
      expect(threshold.patchable).toBe(true);
    }
  });
});

describe('extractThresholds', () => {
  it.each([
    ['rate(errors[5m]) > 0.05', '>', 0.05, 'rate(errors[5m])'],
    ['0.05 < rate(errors[5m])', '>', 0.05, 'rate(errors[5m])'],
    ['0.05 >= rate(errors[5m])', '<=', 0.05, 'rate(errors[5m])'],
    ['latency > 1e3', '>', 1000, 'latency'],
    ['x != 0x1F', '!=', 31, 'x'],
    ['x > +Inf', '>', Infinity, 'x'],
    ['(free / size) < 0.1', '<', 0.1, '(free / size)'],
    ['((x) > (0.9))', '>', 0.9, '(x)'],
    ['x < -0.05', '<', -0.05, 'x'],
    ['-1 > x', '<', -1, 'x'],
    ['time() - last_success > 5m', '>', 300, 'time() - last_success'],
  ])('%s', (expr, operator, value, observed) => {
    const [threshold] = extractThresholds(expr).thresholds;
    expect(threshold).toMatchObject({ operator, value, observed, patchable: true, bool: false });
  });

  it('reports the direction a threshold is crossed in', () => {
    const directions = ['x > 1', 'x <= 1', 'x == 1', '1 != x'].map(
      (expr) => extractThresholds(expr).thresholds[0]?.direction,
    );
    expect(directions).toEqual(['above', 'below', 'equal', 'not-equal']);
  });

  it('finds each comparison under and/or/unless, indexed in source order, with bool', () => {
    const { thresholds } = extractThresholds('a > 10 and on(job) (b < bool 2) or c >= 3 unless d == 0');
    expect(thresholds.map((t) => [t.index, t.observed, t.operator, t.value, t.bool])).toEqual([
      [0, 'a', '>', 10, false],
      [1, 'b', '<', 2, true],
      [2, 'c', '>=', 3, false],
      [3, 'd', '==', 0, false],
    ]);
  });

  it('gives the span of the literal in the expression', () => {
    const expr = 'sum(rate(x[5m])) by (job)\n  > 0.25';
    const [threshold] = extractThresholds(expr).thresholds;
    expect(expr.slice(threshold!.span.from, threshold!.span.to)).toBe('0.25');
    expect(expr.slice(threshold!.observedSpan.from, threshold!.observedSpan.to)).toBe('sum(rate(x[5m])) by (job)');
  });

  it('reports literal arithmetic with its value but not as patchable', () => {
    const [threshold] = extractThresholds('x > 0.5 * 2').thresholds;
    expect(threshold).toMatchObject({ value: 1, text: '0.5 * 2', patchable: false });
    expect(extractThresholds('(1024 ^ 3) * 2 < free').thresholds[0]).toMatchObject({
      value: 2 * 1024 ** 3,
      operator: '>',
      patchable: false,
    });
  });

  it('counts a signed literal as patchable', () => {
    expect(extractThresholds('-1 > x').thresholds[0]).toMatchObject({ text: '-1', patchable: true });
  });

  it.each([
    ['up{job="a"} > on(instance) up{job="b"}', 'compared with another series'],
    ['x > 0.5 * y', 'compared with another series'],
    ['1 < bool 2', 'compared with another series'],
    ['absent(up{job="x"})', 'no comparison'],
    ['sum(rate(x[5m])) / sum(rate(y[5m]))', 'no comparison'],
    ['x > (', 'expression does not parse'],
  ])('%s has no threshold: %s', (expr, reason) => {
    expect(extractThresholds(expr)).toEqual({ thresholds: [], noThreshold: reason });
  });
});

describe('locateThresholds in every YAML scalar style', () => {
  const file = [
    'groups:',
    '  - name: styles',
    '    rules:',
    '      - alert: Plain',
    '        expr: x > 0.5',
    '      - alert: PlainFolded',
    '        expr: sum(x)',
    '          > 2',
    '      - alert: DoubleQuoted',
    '        expr: "x{a=\\"b\\"}\\t> 3"',
    '      - alert: SingleQuoted',
    "        expr: 'x{a=''b''} > 4'",
    '      - alert: Literal',
    '        expr: |',
    '          x',
    '            > 5',
    '      - alert: Folded',
    '        expr: >-',
    '          x',
    '          > 6',
    '',
  ].join('\n');

  it.each([
    ['Plain', '0.5', 5, 19],
    ['PlainFolded', '2', 8, 13],
    ['DoubleQuoted', '3', 10, 30],
    ['SingleQuoted', '4', 12, 29],
    ['Literal', '5', 16, 15],
    ['Folded', '6', 20, 13],
  ])('%s', (alert, literal, line, column) => {
    const rule = alertingRuleNodes(file).find((candidate) => candidate.alert === alert)!;
    const [threshold] = locateThresholds(file, rule).thresholds;
    expect(threshold).toMatchObject({ text: literal, patchable: true, source: { line, column } });
    expect(file.slice(threshold!.source!.from, threshold!.source!.to)).toBe(literal);
  });

  it('does not locate a literal written with an escape, and then does not patch it', () => {
    const escaped = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: "x > \\x31"\n';
    const [threshold] = locateThresholds(escaped, alertingRuleNodes(escaped)[0]!).thresholds;
    expect(threshold).toMatchObject({ value: 1, source: null, patchable: false });
  });
});
