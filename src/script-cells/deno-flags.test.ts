import { describe, expect, it } from 'vitest';
import { NO_PERMISSIONS } from '../domain/runbooks/script-permissions.js';
import { confinedPath, denoPermissionFlags, grantedEnv } from './deno-flags.js';
import { denoArgs } from './run-deno.js';

const where = { gateway: '127.0.0.1:41000', runbooksDir: '/srv/runbooks' };

describe('denoPermissionFlags', () => {
  it('grants only the gateway when the runbook declares nothing', () => {
    expect(denoPermissionFlags(NO_PERMISSIONS, where)).toEqual(['--allow-net=127.0.0.1:41000']);
  });

  it('maps each declared kind to its flag, read paths under the runbooks folder', () => {
    expect(
      denoPermissionFlags({ net: ['api.github.com:443'], env: ['REGION'], read: ['data/', 'a/../b.json'] }, where),
    ).toEqual([
      '--allow-net=127.0.0.1:41000,api.github.com:443',
      '--allow-env=REGION',
      '--allow-read=/srv/runbooks/data,/srv/runbooks/b.json',
    ]);
  });

  it('refuses a path that leaves the runbooks folder', () => {
    expect(() => confinedPath('/srv/runbooks', '../etc/passwd')).toThrow(/outside the runbooks folder/);
    expect(() => confinedPath('/srv/runbooks', '/etc/passwd')).toThrow(/outside the runbooks folder/);
  });
});

describe('grantedEnv', () => {
  it('copies only the granted names that are set', () => {
    expect(grantedEnv({ ...NO_PERMISSIONS, env: ['REGION', 'UNSET'] }, { REGION: 'eu', DATABASE_URL: 'x' })).toEqual({
      REGION: 'eu',
    });
  });
});

describe('denoArgs', () => {
  it('runs without prompts, config, remote or npm imports, with a heap cap, the cell API preloaded', () => {
    const limits = { timeoutMs: 1000, outputBytes: 1, heapMb: 96, rssMb: 1 };
    expect(denoArgs({ permissionFlags: ['--allow-net=127.0.0.1:1'], limits })).toEqual([
      'run',
      '--no-prompt',
      '--no-config',
      '--no-lock',
      '--no-remote',
      '--no-npm',
      '--cached-only',
      '--v8-flags=--max-old-space-size=96',
      '--allow-net=127.0.0.1:1',
      '--preload=./prelude.js',
      './cell.ts',
    ]);
  });
});
