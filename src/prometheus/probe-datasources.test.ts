import { describe, expect, it } from 'vitest';
import type { QueryClient } from './client.js';
import { probeDatasources } from './probe-datasources.js';

const logged: Array<[string, string, Record<string, unknown> | undefined]> = [];
const logger = {
  info: (msg: string, fields?: Record<string, unknown>) => logged.push(['info', msg, fields]),
  warn: (msg: string, fields?: Record<string, unknown>) => logged.push(['warn', msg, fields]),
};

/** A client that answers at once, or never (until its caller's signal gives up). */
function client(answers: boolean): QueryClient {
  return {
    name: 'x',
    instant: ({ signal }: { signal?: AbortSignal }) =>
      answers
        ? Promise.resolve({ resultType: 'scalar', value: [0, '1'], warnings: [] })
        : new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('canceled')))),
    range: () => Promise.reject(new Error('not used')),
  } as unknown as QueryClient;
}

describe('probeDatasources', () => {
  it('logs each datasource, answered or not within the deadline, without secrets in the URL', async () => {
    const outcomes = await probeDatasources({
      configs: [
        { name: 'default', url: 'http://prom:9090/' },
        { name: 'slow', url: 'https://user:secret@thanos.example/api?token=t' },
      ],
      datasources: { get: (name) => client(name === 'default') },
      logger,
      deadlineMs: 50,
    });
    expect(outcomes).toEqual([
      { name: 'default', url: 'http://prom:9090', answered: true, ms: expect.any(Number) },
      { name: 'slow', url: 'https://thanos.example/api', answered: false, error: 'no answer within 50 ms' },
    ]);
    expect(logged.map(([level, msg, fields]) => [level, msg, fields?.datasource])).toEqual([
      ['info', 'datasource answered', 'default'],
      ['warn', 'datasource did not answer', 'slow'],
    ]);
  });
});
