import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));

// The CLI as a user installs it: the packed tarball, run by npm from a folder that is no clone.
describe('the alertbook package', () => {
  const root = mkdtempSync(join(tmpdir(), 'alertbook-package-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('packs with its CLI bundle prebuilt and runs `alertbook check` from anywhere', { timeout: 600_000 }, async () => {
    const packed = join(root, 'packed');
    mkdirSync(packed);
    const { stdout: packOutput } = await run('npm', ['pack', '--json', '--pack-destination', packed], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [{ filename, files }] = JSON.parse(packOutput) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map(({ path }) => path);
    expect(paths).toContain('src/cli/bin.js');
    expect(paths).toContain('.build/cli/manifest.json');
    expect(paths.filter((path) => path.endsWith('.test.ts') || path.startsWith('test/'))).toEqual([]);

    const elsewhere = join(root, 'elsewhere');
    cpSync(join(REPO, 'test/fixtures/check/good'), join(elsewhere, 'runbooks'), { recursive: true });
    const tarball = join(packed, filename);
    const exec = (args: string[]) =>
      run('npm', ['exec', '--yes', '--prefer-offline', '--package', tarball, '--', 'alertbook', ...args], {
        cwd: elsewhere,
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const clean = await exec(['check', 'runbooks']);
    expect(clean.stdout).toBe('checked 5 runbooks, 4 rules: 0 errors, 0 warnings\n');

    // The installed package ran its prebuilt bundle: no second one was built beside it.
    const { stdout: bin } = await run(
      'npm',
      ['exec', '--yes', '--prefer-offline', '--package', tarball, '-c', 'readlink -f "$(command -v alertbook)"'],
      { cwd: elsewhere },
    );
    const bundles = readdirSync(join(bin.trim(), '../../../.build/cli')).filter((name) => name !== 'manifest.json');
    expect(bundles).toHaveLength(1);
  });
});
