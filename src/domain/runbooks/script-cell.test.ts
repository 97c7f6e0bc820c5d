import { describe, expect, it } from 'vitest';
import { parseRunbook } from './parse-runbook.js';

const runbook = (body: string, frontmatter = '') =>
  parseRunbook({
    path: 'checkout.md',
    content: `---\ntitle: Checkout\nalerts: []\n${frontmatter}---\n## Meaning\n## Impact\n## Diagnosis\n## Mitigation\n${body}`,
  });

describe('script cells in a runbook', () => {
  it('reads ```ts and ```typescript fences with id, title, timeout and run', () => {
    const parsed = runbook(
      '```ts id=top-routes title="Top routes" timeout=20s run=auto\nshow.table([]);\n```\n\n```typescript title="Deploys"\nconsole.log(1);\n```\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.scriptCells).toEqual([
      { id: 'top-routes', title: 'Top routes', code: 'show.table([]);', timeout: 20, run: 'auto', line: 9 },
      { id: 'deploys', title: 'Deploys', code: 'console.log(1);', timeout: 10, run: 'manual', line: 13 },
    ]);
    expect(parsed.cells).toEqual([]);
  });

  it.each([
    ['timeout=2m', 'timeout must be a duration of at most 60s'],
    ['timeout=soon', 'timeout must be a duration of at most 60s'],
    ['run=always', 'run must be manual or auto'],
    ['range=1h', 'unknown script cell attribute "range"'],
    ['id=Bad!', 'id must be a slug'],
  ])('%s → %s', (attributes, message) => {
    const parsed = runbook(`\`\`\`ts ${attributes}\n1;\n\`\`\`\n`);
    expect(parsed.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 9, message: expect.stringContaining(message) }),
    ]);
  });

  it('shares one id space with the PromQL cells', () => {
    const parsed = runbook('```promql id=errors\nup\n```\n\n```ts id=errors\n1;\n```\n');
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'duplicate-cell-id', line: 13 })]);
  });

  it('carries the frontmatter permissions, or why they are unusable', () => {
    expect(runbook('', 'permissions: {net: ["api.github.com:443"]}\n').permissions).toEqual({
      net: ['api.github.com:443'],
      env: [],
      read: [],
    });
    expect(runbook('', 'permissions: {run: true}\n').permissionsError).toMatch(/permissions\.run is refused/);
  });
});
