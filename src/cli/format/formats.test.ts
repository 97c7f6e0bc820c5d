import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from './check-outcome.js';
import { formatGithub } from './format-github.js';
import { formatJson } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';

const NONE = { net: [], env: [], read: [] };
import { formatText } from './format-text.js';
import type { CheckProblem } from '../../domain/check/check-problem.js';

const ERROR: CheckProblem = {
  file: 'runbooks/a.md',
  line: 12,
  column: 5,
  severity: 'error',
  code: 'promql-syntax',
  message: 'unexpected ")"',
};
const WARNING: CheckProblem = {
  file: 'rules/x,y.yaml',
  line: 3,
  column: 9,
  severity: 'warning',
  code: 'duplicate-rule',
  message: '100% sure: a | b <script>\nsecond *line* for @team',
};

function outcome(overrides: Partial<CheckOutcome> = {}): CheckOutcome {
  return {
    problems: [ERROR, WARNING],
    errors: 1,
    warnings: 1,
    ruleCount: 7,
    runbooks: [
      {
        id: 'a',
        file: 'runbooks/a.md',
        path: 'a.md',
        title: 'Alpha | beta',
        cells: 3,
        steps: 2,
        scriptCells: 0,
        permissions: NONE,
      },
      {
        id: 'b',
        file: 'runbooks/b.md',
        path: 'b.md',
        title: 'Bravo',
        cells: 0,
        steps: 0,
        scriptCells: 0,
        permissions: NONE,
      },
    ],
    changes: null,
    ...overrides,
  };
}

describe('text format', () => {
  it('prints file:line:col: severity code: message, then the summary', () => {
    expect(formatText(outcome())).toBe(
      'runbooks/a.md:12:5: error promql-syntax: unexpected ")"\n' +
        'rules/x,y.yaml:3:9: warning duplicate-rule: 100% sure: a | b <script>\nsecond *line* for @team\n' +
        'checked 2 runbooks, 7 rules: 1 error, 1 warning\n',
    );
  });

  it('prints only the summary when all is well, with singulars right', () => {
    const clean = outcome({ problems: [], errors: 0, warnings: 0, ruleCount: 1, runbooks: [outcome().runbooks[0]!] });
    expect(formatText(clean)).toBe('checked 1 runbook, 1 rule: 0 errors, 0 warnings\n');
  });
});

describe('json format', () => {
  it('is a document with summary, problems, runbooks and changes', () => {
    expect(
      JSON.parse(
        formatJson(outcome({ changes: { ref: 'main', files: [{ path: 'a.md', status: 'added' }], permissions: [] } })),
      ),
    ).toEqual({
      summary: { runbooks: 2, rules: 7, errors: 1, warnings: 1 },
      problems: [ERROR, WARNING],
      runbooks: [
        { id: 'a', file: 'runbooks/a.md', title: 'Alpha | beta', cells: 3, steps: 2 },
        { id: 'b', file: 'runbooks/b.md', title: 'Bravo', cells: 0, steps: 0 },
      ],
      changes: { ref: 'main', files: [{ path: 'a.md', status: 'added' }], permissions: [] },
    });
  });
});

describe('github format', () => {
  it('writes workflow commands, escaping properties and data as the Actions toolkit does', () => {
    expect(formatGithub(outcome()).split('\n')).toEqual([
      '::error file=runbooks/a.md,line=12,col=5,title=promql-syntax::unexpected ")"',
      '::warning file=rules/x%2Cy.yaml,line=3,col=9,title=duplicate-rule::100%25 sure: a | b <script>%0Asecond *line* for @team',
      'checked 2 runbooks, 7 rules: 1 error, 1 warning',
      '',
    ]);
  });
});

describe('markdown format', () => {
  it('prints no runbooks table when there are no runbooks (rule files checked alone)', () => {
    const text = formatMarkdown(outcome({ runbooks: [] }));
    expect(text).not.toContain('#### Runbooks');
    expect(text).not.toContain('| Runbook | Cells |');
    expect(text).toContain('| Severity |');
  });

  it("lists every runbook's requested script permissions for the reviewer", () => {
    const runbooks = [
      {
        id: 'a',
        file: 'runbooks/a.md',
        path: 'a.md',
        title: 'Alpha',
        cells: 0,
        steps: 0,
        scriptCells: 2,
        permissions: { net: ['api.github.com:443'], env: ['GITHUB_TOKEN'], read: [] },
      },
      {
        id: 'b',
        file: 'runbooks/b.md',
        path: 'b.md',
        title: 'Bravo',
        cells: 0,
        steps: 0,
        scriptCells: 1,
        permissions: NONE,
      },
    ];
    expect(formatMarkdown(outcome({ problems: [], errors: 0, warnings: 0, runbooks }))).toContain(
      [
        '#### Script cell permissions requested',
        '',
        '| Runbook | Script cells | net | env | read |',
        '|---|---|---|---|---|',
        '| Alpha (`a`) | 2 | `api.github.com:443` | `GITHUB_TOKEN` | – |',
        '| Bravo (`b`) | 1 | – | – | – |',
        '',
      ].join('\n'),
    );
  });

  it('calls out the permissions a change adds or widens before everything else', () => {
    const permissions = [
      {
        id: 'a',
        title: 'Alpha',
        path: 'a.md',
        changes: [
          { kind: 'net' as const, entry: 'api.github.com', change: 'widened' as const, was: ['api.github.com:443'] },
          { kind: 'env' as const, entry: 'GITHUB_TOKEN', change: 'added' as const, was: [] },
        ],
      },
    ];
    const text = formatMarkdown(outcome({ changes: { ref: 'main', files: [], permissions } }));
    const table = [
      '#### ⚠️ Script permissions added or widened since `main`',
      '',
      '| Runbook | Kind | Grant | Change |',
      '|---|---|---|---|',
      '| Alpha (`a`) | net | `api.github.com` | widened from `api.github.com:443` |',
      '| Alpha (`a`) | env | `GITHUB_TOKEN` | added |',
    ].join('\n');
    expect(text).toContain(table);
    expect(text.indexOf(table)).toBeLessThan(text.indexOf('#### Runbooks changed'));
    expect(formatMarkdown(outcome({ changes: { ref: 'main', files: [], permissions: [] } }))).toContain(
      'No script permission added or widened since `main`.',
    );
  });

  it('shows the verdict, every runbook and a problems table, escaped for a table cell', () => {
    expect(formatMarkdown(outcome())).toBe(
      [
        '### Alertbook check: ❌ changes needed',
        '',
        'checked 2 runbooks, 7 rules: 1 error, 1 warning',
        '',
        '#### Runbooks',
        '',
        '| Runbook | Cells | Steps | Problems |',
        '|---|---|---|---|',
        '| Alpha \\| beta (`a`) | 3 | 2 | 1 error |',
        '| Bravo (`b`) | 0 | 0 | none |',
        '',
        '#### Problems',
        '',
        '| Severity | Location | Code | Message |',
        '|---|---|---|---|',
        '| ❌ error | `runbooks/a.md:12:5` | `promql-syntax` | unexpected ")" |',
        '| ⚠️ warning | `rules/x,y.yaml:3:9` | `duplicate-rule` | 100% sure: a \\| b &#60;script&#62; second \\*line\\* for \\@team |',
        '',
      ].join('\n'),
    );
  });

  it('lists the runbooks changed since the ref, deleted ones included, other files left out', () => {
    const changes = {
      ref: 'origin/main',
      files: [
        { path: 'a.md', status: 'added' as const },
        { path: 'b.md', status: 'renamed' as const, from: 'old-b.md' },
        { path: 'gone.md', status: 'deleted' as const },
        { path: 'rules/x.yaml', status: 'modified' as const },
      ],
      permissions: [],
    };
    const text = formatMarkdown(outcome({ problems: [], errors: 0, warnings: 0, changes }));
    expect(text).toContain(
      [
        '#### Runbooks changed since `origin/main`',
        '',
        '| Change | Runbook | Cells | Steps | Problems |',
        '|---|---|---|---|---|',
        '| added | Alpha \\| beta (`a`) | 3 | 2 | none |',
        '| renamed from `old-b.md` | Bravo (`b`) | 0 | 0 | none |',
        '| deleted | `gone.md` | – | – | – |',
      ].join('\n'),
    );
    expect(text.startsWith('### Alertbook check: ✅ passed\n')).toBe(true);
    expect(text).not.toContain('#### Problems');
  });

  it('says so when no runbook changed', () => {
    const text = formatMarkdown(outcome({ changes: { ref: 'HEAD', files: [], permissions: [] } }));
    expect(text).toContain('#### Runbooks changed since `HEAD`\n\nNo runbook changed.');
  });

  it('caps long tables so the comment stays within GitHub limits', () => {
    const problems = Array.from({ length: 150 }, (_, i) => ({ ...ERROR, line: i + 1 }));
    const rows = formatMarkdown(outcome({ problems, errors: 150, warnings: 0 }))
      .split('\n')
      .filter((line) => line.startsWith('| ❌'));
    expect(rows).toHaveLength(100);
    expect(formatMarkdown(outcome({ problems, errors: 150, warnings: 0 }))).toContain(
      '| … and 50 more: run `alertbook check` for the full list |',
    );
  });
});
