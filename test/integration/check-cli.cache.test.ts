// A warm `check` prints what it kept from the last run (src/cli/result-cache.ts): it must notice every edit.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runAlertbook } from '../support/cli.js';

const GOOD = fileURLToPath(new URL('../fixtures/check/good', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'alertbook-check-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const check = () => runAlertbook(['check', 'runbooks'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });

describe('alertbook check run after run', () => {
  it('answers the same from its cache, and anew after a runbook is edited back and forth', async () => {
    cpSync(GOOD, join(work, 'runbooks'), { recursive: true });
    const first = await check();
    expect(first.code).toBe(0);
    expect(await check()).toEqual(first);

    const file = join(work, 'runbooks/latency.md');
    const original = readFileSync(file, 'utf8');
    // Frontmatter that no longer closes: the file is no runbook any more.
    writeFileSync(file, original.replace('title:', 'title: [unclosed'));
    const broken = await check();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('latency.md');

    writeFileSync(file, original);
    expect(await check()).toEqual(first);
  });
});
