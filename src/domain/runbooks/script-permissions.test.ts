import { describe, expect, it } from 'vitest';
import { overCeiling } from './script-permissions.js';

describe('overCeiling', () => {
  const ceiling = { net: ['api.github.com:443', 'grafana.internal'], env: ['GITHUB_TOKEN'] };

  it('allows what the operator allows; a host without a port covers its every port', () => {
    expect(
      overCeiling(
        {
          net: ['api.github.com:443', 'grafana.internal:3000', 'grafana.internal'],
          env: ['GITHUB_TOKEN'],
          read: ['x'],
        },
        ceiling,
      ),
    ).toBeNull();
  });

  it('names every grant beyond the ceiling instead of narrowing it', () => {
    expect(
      overCeiling(
        { net: ['api.github.com:80', 'evil.example'], env: ['GITHUB_TOKEN', 'DATABASE_URL'], read: [] },
        ceiling,
      ),
    ).toBe(
      'the runbook asks for more than this service allows: net api.github.com:80, evil.example (ALERTBOOK_SCRIPT_ALLOW_NET allows api.github.com:443, grafana.internal); env DATABASE_URL (ALERTBOOK_SCRIPT_ALLOW_ENV allows GITHUB_TOKEN)',
    );
  });

  it('allows nothing by default', () => {
    expect(overCeiling({ net: ['a.example'], env: [], read: [] }, { net: [], env: [] })).toMatch(
      /ALERTBOOK_SCRIPT_ALLOW_NET allows nothing/,
    );
  });
});
