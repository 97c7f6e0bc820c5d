import { describe, expect, it } from 'vitest';
import { checkRunbooks } from './check-runbooks.js';
import { evaluateCells, type InstantQueryResult } from './evaluate-cells.js';
import { parseRuleFile } from '../rules/parse-rule-file.js';
import { parseRunbook } from '../runbooks/parse-runbook.js';

const RULES = parseRuleFile({
  path: 'rules.yaml',
  content: [
    'groups:',
    '  - name: g',
    '    rules:',
    '      - alert: DiskFull',
    '        expr: node_filesystem_avail_bytes{mountpoint="/"} < 1e9',
    '        labels: {severity: page, team: "o\'brien"}',
    '        annotations: {summary: "disk \\"full\\""}',
  ].join('\n'),
});

function cells(...queries: string[]) {
  return queries.map((query, i) => `\`\`\`promql title="cell ${i + 1}" instant\n${query}\n\`\`\`\n`).join('\n');
}

async function evaluate(body: string, answer: (query: string) => InstantQueryResult, alerts = '[DiskFull]') {
  const runbooks = [parseRunbook({ path: 'disk.md', content: `---\ntitle: Disk\nalerts: ${alerts}\n---\n${body}` })];
  const report = checkRunbooks({ runbooksDir: 'runbooks', runbooks, ruleFiles: [RULES] });
  const queries: string[] = [];
  const problems = await evaluateCells({
    runbooks: report.runbooks,
    links: report.links,
    concurrency: 2,
    query: async (query) => {
      queries.push(query);
      return answer(query);
    },
  });
  return { problems, queries };
}

const SERIES: InstantQueryResult = { kind: 'series', count: 1 };

describe('evaluateCells', () => {
  it('fills placeholders from the served rule, escaped, and samples the rest with their own names', async () => {
    const { queries } = await evaluate(
      cells(
        'x{team="{{ $labels.team }}", severity="{{ $labels.severity }}", alert="{{ $labels.alertname }}", device="{{ $labels.device }}", s=\'{{ $annotations.summary }}\'}',
      ),
      () => SERIES,
    );
    expect(queries).toEqual([`x{team="o'brien", severity="page", alert="DiskFull", device="device", s='disk "full"'}`]);
  });

  it('uses sample values when the runbook serves no rule', async () => {
    const { queries } = await evaluate(
      cells('x{team="{{ $labels.team }}", u="{{ $externalURL }}"}'),
      () => SERIES,
      '[]',
    );
    expect(queries).toEqual(['x{team="team", u="externalURL"}']);
  });

  it('reports a rejected query as an error and an empty result as a warning, on the fence line', async () => {
    const { problems } = await evaluate(cells('bad', 'empty', 'fine'), (query) =>
      query === 'bad'
        ? { kind: 'rejected', error: 'HTTP 422: many-to-many matching not allowed' }
        : query === 'empty'
          ? { kind: 'series', count: 0 }
          : SERIES,
    );
    expect(problems.sort((a, b) => a.line - b.line)).toEqual([
      {
        file: 'runbooks/disk.md',
        line: 5,
        column: 1,
        severity: 'error',
        code: 'query-failed',
        message: 'cell "cell-1": Prometheus rejected the query: HTTP 422: many-to-many matching not allowed',
      },
      {
        file: 'runbooks/disk.md',
        line: 9,
        column: 1,
        severity: 'warning',
        code: 'empty-result',
        message: 'cell "cell-2": the query returned no series (the metric may not exist)',
      },
    ]);
  });

  it('skips cells whose template is broken (the parser reports those)', async () => {
    const { queries, problems } = await evaluate(cells('{{ $labels.job }}_total', 'up'), () => SERIES);
    expect(queries).toEqual(['up']);
    expect(problems).toEqual([]);
  });

  it('lets an unreachable Prometheus stop the run', async () => {
    await expect(
      evaluate(cells('up'), () => {
        throw new Error('connection refused');
      }),
    ).rejects.toThrow('connection refused');
  });
});
