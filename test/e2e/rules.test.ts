import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

// The shipped alert rules, checked by Prometheus' own tool: they load, and
// they fire (or stay quiet) on the synthetic series in test/rules/.
describe('runbooks/rules with promtool', () => {
  it('the rule files pass promtool check rules', async () => {
    const files = readdirSync(`${root}runbooks/rules`)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `runbooks/rules/${f}`);
    expect(files.length).toBeGreaterThan(0);
    const { stdout } = await run('promtool', ['check', 'rules', ...files], { cwd: root });
    expect(stdout).toContain('SUCCESS');
  });

  it('the alerts fire as the unit tests in test/rules/ expect', async () => {
    const tests = readdirSync(`${root}test/rules`).filter((f) => f.endsWith('.test.yaml'));
    const { stdout } = await run('promtool', ['test', 'rules', ...tests], { cwd: `${root}test/rules` });
    expect(stdout.match(/SUCCESS/g)).toHaveLength(tests.length);
  });
});
