import { describe, expect, it } from 'vitest';
import { permissionChanges } from './permission-changes.js';
import { NO_PERMISSIONS } from './script-permissions.js';

describe('permissionChanges', () => {
  it('calls every grant of a runbook that had none added', () => {
    expect(permissionChanges(NO_PERMISSIONS, { net: ['api.github.com:443'], env: ['TOKEN'], read: [] })).toEqual([
      { kind: 'net', entry: 'api.github.com:443', change: 'added', was: [] },
      { kind: 'env', entry: 'TOKEN', change: 'added', was: [] },
    ]);
  });

  it('calls a grant that covers an old one widened: a host for its port, a folder for its file', () => {
    const base = { net: ['api.github.com:443'], env: [], read: ['data/routes.json'] };
    expect(permissionChanges(base, { net: ['api.github.com'], env: [], read: ['data/'] })).toEqual([
      { kind: 'net', entry: 'api.github.com', change: 'widened', was: ['api.github.com:443'] },
      { kind: 'read', entry: 'data/', change: 'widened', was: ['data/routes.json'] },
    ]);
  });

  it('sees nothing in unchanged, narrowed or removed grants', () => {
    const base = { net: ['api.github.com', '[::1]:8080'], env: ['A', 'B'], read: ['data'] };
    expect(
      permissionChanges(base, { net: ['api.github.com:443', '[::1]:8080'], env: ['A'], read: ['data/x.json'] }),
    ).toEqual([]);
  });

  it('does not take a port of another host, or a sibling folder, as covered', () => {
    const base = { net: ['github.com'], env: [], read: ['data'] };
    expect(permissionChanges(base, { net: ['api.github.com:443'], env: [], read: ['database/x'] })).toEqual([
      { kind: 'net', entry: 'api.github.com:443', change: 'added', was: [] },
      { kind: 'read', entry: 'database/x', change: 'added', was: [] },
    ]);
  });
});
