import { describe, expect, it } from 'vitest';
import { NO_PERMISSIONS } from '../domain/runbooks/script-permissions.js';
import { permissionHint } from './permission-hint.js';

const deno = (kind: string, target: string) =>
  `\u001b[1merror\u001b[0m: Uncaught (in promise) NotCapable: Requires ${kind} access to "${target}", run again with the --allow-${kind} flag\n    at file:///tmp/cell.ts:1:7\n`;
const where = { permissions: { ...NO_PERMISSIONS, net: ['api.github.com:443'] }, runbooksDir: '/srv/runbooks' };

describe('permissionHint', () => {
  it('names the net line that would grant a denied host, keeping what is declared', () => {
    expect(permissionHint(deno('net', 'example.com:8080'), where)).toEqual({
      message: 'NotCapable: Requires net access to "example.com:8080"',
      kind: 'net',
      target: 'example.com:8080',
      frontmatter: 'net: ["api.github.com:443","example.com:8080"]',
      note: 'the host must also be in ALERTBOOK_SCRIPT_ALLOW_NET',
    });
  });

  it('names the env line for a variable', () => {
    expect(permissionHint(deno('env', 'REGION'), where)?.frontmatter).toBe('env: ["REGION"]');
  });

  it('gives a read path relative to the runbooks folder, and none outside it', () => {
    expect(permissionHint(deno('read', '/srv/runbooks/data/routes.json'), where)?.frontmatter).toBe(
      'read: ["data/routes.json"]',
    );
    expect(permissionHint(deno('read', '/etc/passwd'), where)).toMatchObject({
      frontmatter: null,
      note: 'only paths inside the runbooks folder can be granted',
    });
  });

  it('says why a refused kind cannot be granted', () => {
    expect(permissionHint(deno('run', 'ls'), where)).toMatchObject({
      frontmatter: null,
      note: 'run is refused: a subprocess runs outside the sandbox',
    });
  });

  it('is null for a failure that is not a denial', () => {
    expect(permissionHint('error: Uncaught Error: boom\n', where)).toBeNull();
  });
});
