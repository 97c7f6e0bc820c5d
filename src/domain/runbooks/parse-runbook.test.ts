import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/support/fixtures.js';
import { isRunbookFile, parseRunbook, type Problem } from './parse-runbook.js';

const parseFixture = (path: string) => parseRunbook({ path, content: fixtureText(`runbooks/${path}`) });
const where = (problems: Problem[]) => problems.map((p) => [p.code, p.line, p.column]);

describe('parseRunbook on a complete runbook', () => {
  const parsed = parseFixture('good/alertmanager-failed-to-send-alerts.md');

  it('reads the frontmatter, defaulting the id to the path without .md', () => {
    expect(parsed).toMatchObject({
      id: 'good/alertmanager-failed-to-send-alerts',
      path: 'good/alertmanager-failed-to-send-alerts.md',
      title: 'Alertmanager is failing to send notifications',
      alerts: ['AlertmanagerFailedToSendAlerts', 'AlertmanagerClusterFailedToSendAlerts'],
      match: [
        { label: 'namespace', op: '=', value: 'monitoring' },
        { label: 'integration', op: '=~', value: 'webhook|slack' },
      ],
      owner: 'team-observability',
      datasource: 'default',
      problems: [],
    });
  });

  it('lists the headings, and keeps body, content and the content sha', () => {
    expect(parsed.sections).toEqual([
      'Alertmanager is failing to send notifications',
      'Meaning',
      'Impact',
      'Diagnosis',
      'Mitigation',
    ]);
    expect(parsed.body.startsWith('# Alertmanager is failing')).toBe(true);
    expect(parsed.content).toBe(fixtureText('runbooks/good/alertmanager-failed-to-send-alerts.md'));
    expect(parsed.sha).toBe(createHash('sha256').update(parsed.content).digest('hex'));
  });

  it('reads promql cells with their attributes, ids from titles, fence lines and placeholder positions', () => {
    expect(parsed.cells).toHaveLength(2);
    expect(parsed.cells[0]).toMatchObject({
      id: 'failure-ratio-by-integration',
      title: 'Failure ratio by integration',
      instant: false,
      range: 3600,
      step: 60,
      refresh: null,
      threshold: 0.01,
      unit: 'percentunit',
      line: 22,
    });
    expect(parsed.cells[0]?.query.split('\n')[1]).toBe('/');
    expect(parsed.cells[0]?.placeholders).toEqual([
      { kind: 'labels', name: 'namespace', line: 23, column: 59 },
      { kind: 'labels', name: 'integration', line: 23, column: 99 },
      { kind: 'labels', name: 'namespace', line: 25, column: 81 },
      { kind: 'labels', name: 'integration', line: 25, column: 121 },
    ]);
    expect(parsed.cells[1]).toMatchObject({ id: 'notifications-sent-per-second', refresh: 30, range: null, line: 28 });
  });

  it('reads task items anywhere as steps, with slug ids deduplicated in document order', () => {
    expect(parsed.steps).toEqual([
      {
        id: 'step-read-the-alertmanager-logs-for-notify-errors',
        text: 'Read the Alertmanager logs for notify errors:',
        checked: false,
        line: 32,
      },
      {
        id: 'step-check-that-the-receiver-endpoint-answers',
        text: 'Check that the receiver endpoint answers',
        checked: false,
        line: 36,
      },
      {
        id: 'step-check-that-the-receiver-endpoint-answers-see-its-status-page',
        text: 'Check that the receiver endpoint answers (see its status page)',
        checked: false,
        line: 43,
      },
      {
        id: 'step-check-that-the-receiver-endpoint-answers-2',
        text: 'Check that the receiver endpoint answers',
        checked: true,
        line: 44,
      },
    ]);
  });

  it('collects shell blocks, including one nested in a list item', () => {
    expect(parsed.shellBlocks).toEqual([
      {
        lang: 'sh',
        code: 'kubectl -n monitoring logs -l app.kubernetes.io/name=alertmanager --since=30m | grep -i notify',
        line: 33,
      },
    ]);
  });

  it('parses the same way whatever the line endings, with the sha of the bytes given', () => {
    const crlf = parsed.content.replace(/\n/g, '\r\n');
    const again = parseRunbook({ path: parsed.path, content: crlf });
    expect({ ...again, content: '', sha: '' }).toEqual({ ...parsed, content: '', sha: '' });
    expect(again.sha).not.toBe(parsed.sha);
  });
});

describe('parseRunbook ids', () => {
  it('takes an explicit id, numbers untitled cells cell-<n>, and reads flags and datasource', () => {
    const parsed = parseFixture('good/general-triage.md');
    expect(parsed).toMatchObject({ id: 'general/triage', alerts: [], datasource: 'thanos', problems: [] });
    expect(parsed.cells.map((c) => [c.id, c.instant, c.line])).toEqual([
      ['cell-1', true, 19],
      ['cell-2', false, 23],
    ]);
    expect(parsed.steps.map((s) => [s.id, s.checked])).toEqual([
      ['step-acknowledge-the-incident', false],
      ['step-open-the-alertmanager-ui-and-look-for-related-alerts', true],
    ]);
  });

  it('prefers the id attribute over the title, and the title over the position', () => {
    const parsed = parseRunbook({
      path: 'ids.md',
      content: [
        '---',
        'title: Ids',
        'alerts: []',
        '---',
        '```promql title="Error ratio" id="errors"',
        'up',
        '```',
        '```promql',
        'up',
        '```',
        '```promql title="!!!"',
        'up',
        '```',
      ].join('\n'),
    });
    expect(parsed.cells.map((c) => c.id)).toEqual(['errors', 'cell-2', 'cell-3']);
  });

  it('falls back to step-<n> for a step without letters or digits', () => {
    const parsed = parseRunbook({ path: 's.md', content: '---\ntitle: S\nalerts: []\n---\n- [ ] 🔥🔥\n- [ ] ...\n' });
    expect(parsed.steps.map((s) => s.id)).toEqual(['step-1', 'step-2']);
  });

  it('reports an id taken from a path that is not a slug', () => {
    const parsed = parseRunbook({ path: 'Payments/High Error Rate.md', content: '---\ntitle: x\nalerts: []\n---\n' });
    expect(parsed.id).toBe('Payments/High Error Rate');
    expect(where(parsed.problems)).toContainEqual(['invalid-default-id', 1, 1]);
  });
});

describe('parseRunbook problems', () => {
  it('places cell problems on the file line and column of the offending character', () => {
    const parsed = parseFixture('bad/cells.md');
    expect(where(parsed.problems.filter((p) => p.severity === 'error'))).toEqual([
      ['unknown-cell-attribute', 7, 40],
      ['promql-syntax', 8, 59],
      ['duplicate-cell-id', 11, 1],
      ['placeholder-outside-string', 12, 41],
      ['invalid-cell-attribute', 16, 25],
      ['unknown-placeholder', 17, 19],
    ]);
    expect(parsed.problems.find((p) => p.code === 'duplicate-cell-id')?.message).toBe(
      'cell id "error-ratio" is already used by the cell on line 7; give one of them id="…"',
    );
    // The cells are still there, so the notebook can show what is broken.
    expect(parsed.cells.map((c) => c.id)).toEqual(['error-ratio', 'error-ratio', 'nested']);
  });

  it('points a PromQL syntax error at the offending character inside the fence', () => {
    const content = [
      '---',
      'title: x',
      'alerts: []',
      '---',
      '',
      '```promql',
      'sum by (job) (',
      '  rate(x[5m]) ) )',
      '```',
    ].join('\n');
    const [problem] = parseRunbook({ path: 'x.md', content }).problems.filter((p) => p.code === 'promql-syntax');
    expect(problem).toEqual({
      severity: 'error',
      code: 'promql-syntax',
      message: 'unexpected ")"',
      line: 8,
      column: 17,
    });
  });

  it('reports frontmatter errors with their file lines and keeps the fields it could read', () => {
    const parsed = parseFixture('bad/frontmatter.md');
    expect(where(parsed.problems.filter((p) => p.severity === 'error'))).toEqual([
      ['frontmatter-invalid', 2, 8],
      ['frontmatter-invalid', 3, 9],
      ['frontmatter-unknown-key', 5, 1],
    ]);
    expect(parsed).toMatchObject({ title: 'bad/frontmatter', owner: 'team-payments', alerts: [] });
  });

  it('reports YAML that does not parse at its position', () => {
    expect(where(parseFixture('bad/yaml-syntax.md').problems.filter((p) => p.severity === 'error'))).toEqual([
      ['frontmatter-yaml', 3, 23],
    ]);
  });

  it('reports frontmatter that is never closed, and a file without any', () => {
    expect(where(parseFixture('bad/unterminated.md').problems)).toEqual([['frontmatter-unterminated', 1, 1]]);
    const plain = parseFixture('not-a-runbook.md');
    expect(where(plain.problems)).toEqual([['frontmatter-missing', 1, 1]]);
    expect(plain.sections).toEqual(['Notes about runbooks']);
  });

  it('warns about missing recommended sections, once', () => {
    const parsed = parseRunbook({
      path: 'x.md',
      content: '---\ntitle: x\nalerts: []\n---\n## Meaning\n## diagnosis\n',
    });
    expect(parsed.problems).toEqual([
      {
        severity: 'warning',
        code: 'missing-section',
        message: 'recommended sections missing: ## Impact, ## Mitigation',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('does not treat indented code or other languages as cells', () => {
    const parsed = parseRunbook({
      path: 'x.md',
      content: '---\ntitle: x\nalerts: []\n---\n    up{job="x"}\n\n```yaml\nup: 1\n```\n\n~~~promql\nup\n~~~\n',
    });
    expect(parsed.cells.map((c) => c.line)).toEqual([11]);
    expect(parsed.shellBlocks).toEqual([]);
  });
});

describe('isRunbookFile', () => {
  it('accepts files that open with frontmatter and nothing else', () => {
    expect(isRunbookFile(fixtureText('runbooks/good/general-triage.md'))).toBe(true);
    expect(isRunbookFile(fixtureText('runbooks/not-a-runbook.md'))).toBe(false);
  });
});

describe('the example in runbooks/README.md', () => {
  it('is a valid runbook', () => {
    const readme = readFileSync(new URL('../../../runbooks/README.md', import.meta.url), 'utf8');
    const example = /^````markdown\n([\s\S]*?)^````$/m.exec(readme)?.[1] ?? '';
    const parsed = parseRunbook({ path: 'api-error-rate.md', content: example });
    expect(parsed.problems).toEqual([]);
    expect(parsed).toMatchObject({ title: 'API error rate above 1 %', alerts: ['ApiHighErrorRate'] });
    expect(parsed.cells.map((c) => c.id)).toEqual(['5xx-ratio']);
    expect(parsed.steps).toHaveLength(2);
    expect(parsed.shellBlocks).toHaveLength(1);
  });
});
