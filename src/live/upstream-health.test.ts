import { describe, expect, it } from 'vitest';
import { UpstreamHealthBoard } from './upstream-health.js';

describe('UpstreamHealthBoard', () => {
  it('is ok with no queries, degraded when some fail, down when all of a datasource fail', () => {
    const board = new UpstreamHealthBoard();
    expect(board.status()).toEqual({ type: 'status', upstream: 'ok', datasources: {} });
    // A datasource answering fine is news to nobody.
    expect(board.record('default', 'q1', false)).toBe(false);
    expect(board.record('default', 'q2', true)).toBe(true);
    expect(board.status()).toMatchObject({ upstream: 'degraded', datasources: { default: 'degraded' } });
    expect(board.record('default', 'q1', true)).toBe(true);
    expect(board.status()).toMatchObject({ upstream: 'down', datasources: { default: 'down' } });
    // Unchanged: nothing to broadcast.
    expect(board.record('default', 'q1', true)).toBe(false);
  });

  it('is degraded overall when one datasource is down and another fine, and recovers when the failing query goes', () => {
    const board = new UpstreamHealthBoard();
    board.record('default', 'q1', false);
    board.record('thanos', 'q2', true);
    expect(board.status()).toEqual({ type: 'status', upstream: 'degraded', datasources: { thanos: 'down' } });
    expect(board.forget('thanos', 'q2')).toBe(true);
    expect(board.status()).toEqual({ type: 'status', upstream: 'ok', datasources: {} });
  });
});
