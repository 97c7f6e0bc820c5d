import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './client-messages.js';

const parse = (message: unknown) => parseClientMessage(typeof message === 'string' ? message : JSON.stringify(message));

describe('parseClientMessage', () => {
  it('reads a query subscription, with durations in seconds or as Prometheus durations', () => {
    expect(
      parse({ type: 'subscribe', sub: 'a', cell: { query: 'up' }, range: '1h30m', step: 15, refresh: '30s' }),
    ).toEqual({
      message: { type: 'subscribe', sub: 'a', cell: { query: 'up' }, range: 5400, step: 15, refresh: 30 },
    });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'up', datasource: 'thanos' }, step: '0.5' })).toEqual({
      message: { type: 'subscribe', sub: 'a', cell: { query: 'up', datasource: 'thanos' }, step: 0.5 },
    });
  });

  it('reads an incident cell subscription, watch and ping', () => {
    expect(parse({ type: 'subscribe', sub: 'c1', cell: { incidentId: 7, cellId: 'error-ratio' } })).toEqual({
      message: { type: 'subscribe', sub: 'c1', cell: { incidentId: 7, cellId: 'error-ratio' } },
    });
    expect(parse({ type: 'watch', incidents: 'all' })).toEqual({ message: { type: 'watch', incidents: 'all' } });
    expect(parse({ type: 'watch', incidents: [1, 2] })).toEqual({ message: { type: 'watch', incidents: [1, 2] } });
    expect(parse({ type: 'ping' })).toEqual({ message: { type: 'ping' } });
    expect(parse({ type: 'unsubscribe', sub: 'c1' })).toEqual({ message: { type: 'unsubscribe', sub: 'c1' } });
  });

  it('names the offending field, and the subscription the message was about', () => {
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'up' }, range: '5 minutes' })).toEqual({
      problem: {
        code: 'invalid_message',
        field: 'range',
        sub: 'a',
        message: expect.stringMatching(/^range: "5 minutes" is not a duration/),
      },
    });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'up' }, refresh: 0.2 })).toMatchObject({
      problem: { field: 'refresh', message: 'refresh: must be between 1 and 86400 seconds, got 0.2' },
    });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { incidentId: 3 } })).toMatchObject({
      problem: { field: 'cell.cellId', message: 'cell.cellId: required with incidentId' },
    });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'up', incidentId: 3, cellId: 'x' } })).toMatchObject({
      problem: { field: 'cell.incidentId' },
    });
    expect(parse({ type: 'subscribe', sub: 'a', cell: {} })).toMatchObject({ problem: { field: 'cell.query' } });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'up', typo: 1 } })).toMatchObject({
      problem: { code: 'invalid_message', field: 'cell' },
    });
    expect(parse({ type: 'watch', incidents: [1, -2] })).toMatchObject({ problem: { field: 'incidents[1]' } });
  });

  it('says when a message is not JSON, not an object, or of an unknown type', () => {
    expect(parse('{"type":')).toMatchObject({ problem: { code: 'invalid_json' } });
    expect(parse([1])).toMatchObject({ problem: { code: 'invalid_message' } });
    expect(parse({ type: 'subscrbe', sub: 'a' })).toEqual({
      problem: {
        code: 'unknown_type',
        field: 'type',
        sub: 'a',
        message: 'unknown message type "subscrbe" (expected subscribe, unsubscribe, watch, ping)',
      },
    });
    expect(parse({ sub: 'a' })).toMatchObject({
      problem: { code: 'unknown_type', message: expect.stringContaining('undefined') },
    });
  });

  it('refuses an oversized subscription id or query', () => {
    expect(parse({ type: 'unsubscribe', sub: 'x'.repeat(65) })).toMatchObject({ problem: { field: 'sub' } });
    expect(parse({ type: 'subscribe', sub: 'a', cell: { query: 'x'.repeat(10_001) } })).toMatchObject({
      problem: { field: 'cell.query' },
    });
  });
});
