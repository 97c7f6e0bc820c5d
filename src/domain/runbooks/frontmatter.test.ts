import { describe, expect, it } from 'vitest';
import { isRunbookFile, readFrontmatter, splitFrontmatter } from './frontmatter.js';

describe('isRunbookFile', () => {
  it.each([
    ['---\ntitle: x\n---\n', true],
    ['---\r\ntitle: x\r\n---\r\n', true],
    ['\uFEFF---\ntitle: x\n---\n', true],
    ['--- \ntitle: x\n---\n', true],
    ['# Runbooks\n\n---\n', false],
    ['\n---\ntitle: x\n---\n', false],
    ['----\n', false],
    ['', false],
  ])('%j → %s', (content, expected) => {
    expect(isRunbookFile(content)).toBe(expected);
  });
});

describe('splitFrontmatter', () => {
  it('separates the YAML from the body and says on which line the body starts', () => {
    expect(splitFrontmatter('---\ntitle: x\nalerts: []\n---\n# Body\n')).toEqual({
      kind: 'split',
      yaml: 'title: x\nalerts: []',
      body: '# Body\n',
      bodyFirstLine: 5,
    });
  });

  it('tells a file without frontmatter from one whose frontmatter is never closed', () => {
    expect(splitFrontmatter('# Body\n')).toEqual({ kind: 'not-a-runbook' });
    expect(splitFrontmatter('---\ntitle: x\n# Body\n')).toEqual({ kind: 'unterminated' });
  });
});

describe('readFrontmatter', () => {
  it('reads every field, turning match values into label matchers', () => {
    const { frontmatter, problems } = readFrontmatter(
      [
        'id: payments/high-error-rate',
        'title: "  High error rate  "',
        'alerts: [HighErrorRate, HighErrorRateBurn]',
        'match:',
        '  severity: critical',
        '  cluster: "=~prod-.*"',
        '  env: "!=staging"',
        '  team: "!~(ops|sre)"',
        'owner: team-payments',
        'datasource: thanos',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(frontmatter).toEqual({
      id: 'payments/high-error-rate',
      title: 'High error rate',
      alerts: ['HighErrorRate', 'HighErrorRateBurn'],
      match: [
        { label: 'severity', op: '=', value: 'critical' },
        { label: 'cluster', op: '=~', value: 'prod-.*' },
        { label: 'env', op: '!=', value: 'staging' },
        { label: 'team', op: '!~', value: '(ops|sre)' },
      ],
      owner: 'team-payments',
      datasource: 'thanos',
      permissions: { net: [], env: [], read: [] },
      permissionsError: null,
    });
  });

  it('defaults the optional fields', () => {
    expect(readFrontmatter('title: x\nalerts: []')).toEqual({
      frontmatter: {
        id: null,
        title: 'x',
        alerts: [],
        match: [],
        owner: null,
        datasource: 'default',
        permissions: { net: [], env: [], read: [] },
        permissionsError: null,
      },
      problems: [],
    });
  });

  it('warns when `alerts` is missing, since nothing will link to the runbook', () => {
    expect(readFrontmatter('title: x').problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'frontmatter-no-alerts', line: 2, column: 1 }),
    ]);
  });

  // Lines are file lines: the YAML starts on line 2, after the opening `---`.
  it.each([
    [
      'title: x\nalerts: []\nseverity: critical',
      'frontmatter-unknown-key',
      4,
      1,
      'frontmatter: unknown key "severity" (allowed: id, title, alerts, match, owner, datasource, permissions)',
    ],
    ['alerts: []', 'frontmatter-invalid', 2, 1, 'frontmatter: title is required'],
    ['title: ""\nalerts: []', 'frontmatter-invalid', 2, 8, 'frontmatter: title must not be empty'],
    ['title: [a]\nalerts: []', 'frontmatter-invalid', 2, 8, 'frontmatter: title must be a string'],
    [
      'title: x\nalerts: HighErrorRate',
      'frontmatter-invalid',
      3,
      9,
      'frontmatter: alerts must be a list of alert names, e.g. [HighErrorRate] (or [] for a general runbook)',
    ],
    [
      'title: x\nalerts: [A, ""]',
      'frontmatter-invalid',
      3,
      13,
      'frontmatter: alerts[1] an alert name must not be empty',
    ],
    [
      'title: x\nalerts: []\nid: Payments/High',
      'frontmatter-invalid',
      4,
      5,
      'frontmatter: id must be a slug like "payments/high-error-rate" (lower-case letters, digits, . _ / -)',
    ],
    [
      'title: x\nalerts: []\nmatch:\n  code: 500',
      'frontmatter-invalid',
      5,
      9,
      'frontmatter: match.code must be a string; quote numbers and booleans, e.g. "500"',
    ],
    [
      'title: x\nalerts: []\nmatch: [severity]',
      'frontmatter-invalid',
      4,
      8,
      'frontmatter: match must map label names to values, e.g. {severity: critical, cluster: "=~prod-.*"}',
    ],
    [
      '- just\n- a list',
      'frontmatter-invalid',
      2,
      1,
      'frontmatter must be a YAML mapping, e.g. "title: High error rate"',
    ],
    ['title: x\ntitle: y', 'frontmatter-yaml', 3, 1, 'frontmatter: Map keys must be unique'],
    [
      'title: [x',
      'frontmatter-yaml',
      2,
      10,
      'frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ])('%j → %s at %i:%i', (yaml, code, line, column, message) => {
    const { problems } = readFrontmatter(yaml);
    expect(problems).toContainEqual({ severity: 'error', code, line, column, message });
  });

  it('keeps the valid fields of a frontmatter that fails, so the runbook can still be listed', () => {
    const { frontmatter } = readFrontmatter('title: Still here\nalerts: 3\nowner: team-a\ncolor: red');
    expect(frontmatter).toMatchObject({ title: 'Still here', alerts: [], owner: 'team-a' });
  });
});

describe('readFrontmatter permissions', () => {
  it("reads net, env and read in Deno's vocabulary", () => {
    const { frontmatter, problems } = readFrontmatter(
      'title: x\nalerts: []\npermissions:\n  net: ["api.github.com:443", "[::1]:8080"]\n  env: [GITHUB_TOKEN]\n  read: [data/routes.json]',
    );
    expect(problems).toEqual([]);
    expect(frontmatter.permissions).toEqual({
      net: ['api.github.com:443', '[::1]:8080'],
      env: ['GITHUB_TOKEN'],
      read: ['data/routes.json'],
    });
    expect(frontmatter.permissionsError).toBeNull();
  });

  it.each(['run', 'write', 'ffi', 'sys', 'all'])('refuses %s, with the reason, and disables the cells', (kind) => {
    const { frontmatter, problems } = readFrontmatter(
      `title: x\nalerts: []\npermissions:\n  net: [a.example:443]\n  ${kind}: true`,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'refused-permission',
        line: 6,
        message: expect.stringMatching(new RegExp(`^frontmatter: permissions\\.${kind} is refused: `)),
      }),
    ]);
    expect(frontmatter.permissions).toEqual({ net: [], env: [], read: [] });
    expect(frontmatter.permissionsError).toMatch(new RegExp(`permissions\\.${kind} is refused`));
  });

  it.each([
    ['net: ["http://a.example"]', 'permissions.net[0] must be "host" or "host:port"'],
    ['env: ["AWS_*"]', 'permissions.env[0] must be a variable name'],
    ['read: ["../secrets"]', 'permissions.read[0] must be a path inside the runbooks folder'],
    ['read: ["/etc/passwd"]', 'permissions.read[0] must be a path inside the runbooks folder'],
    ['net: api.example', 'permissions.net must be a list'],
    ['hrtime: true', 'unknown key "permissions.hrtime"'],
  ])('%s → %s', (entry, message) => {
    const { frontmatter, problems } = readFrontmatter(`title: x\nalerts: []\npermissions:\n  ${entry}`);
    expect(problems.map((p) => p.message).join('\n')).toContain(message);
    expect(frontmatter.permissionsError ?? 'unknown key').toBeTruthy();
  });
});
