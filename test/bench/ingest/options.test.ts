import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, parseOptions } from './options.js';

describe('parseOptions', () => {
  it('runs both backends, real Postgres first, on the default server', () => {
    const options = parseOptions([], {});
    expect(options.backends).toEqual(['postgres', 'embedded']);
    expect(options.serverUrl).toBe(DEFAULT_SERVER_URL);
    expect(options.plan.map((p) => p.alertCount)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(options.concurrencies).toEqual([1, 8]);
    expect(options.rounds).toBe(3);
    expect(options.json).toBe(false);
    expect(options.profileDir).toBeNull();
  });

  it('narrows to one backend, a shorter plan and JSON output; takes the server and profile folder from the environment', () => {
    const full = parseOptions([], {});
    const options = parseOptions(['--only', 'embedded', '--quick', '--json'], {
      BENCH_DATABASE_URL: 'postgres://db:5432/x',
      BENCH_PROFILE_DIR: '/tmp/prof',
    });
    expect(options.backends).toEqual(['embedded']);
    expect(options.rounds).toBe(1);
    expect(options.json).toBe(true);
    expect(options.serverUrl).toBe('postgres://db:5432/x');
    expect(options.profileDir).toBe('/tmp/prof');
    options.plan.forEach((step, i) => expect(step.notifications).toBeLessThan(full.plan[i]!.notifications));
  });

  it('runs only the sizes, concurrencies and rounds asked for', () => {
    const options = parseOptions(['--sizes', '10,10000', '--concurrency', '8', '--rounds', '5'], {});
    expect(options.plan.map((p) => p.alertCount)).toEqual([10, 10_000]);
    expect(options.concurrencies).toEqual([8]);
    expect(options.rounds).toBe(5);
    expect(parseOptions(['--quick', '--rounds', '2'], {}).rounds).toBe(2);
  });

  it('names the offending flag', () => {
    expect(() => parseOptions(['--sizes', '10,7'], {})).toThrow(
      '--sizes: expected some of 1, 10, 100, 1000, 10000, got "7"',
    );
    expect(() => parseOptions(['--concurrency', '4'], {})).toThrow('--concurrency: expected some of 1, 8, got "4"');
    expect(() => parseOptions(['--only', 'mysql'], {})).toThrow(
      '--only: expected "embedded" or "postgres", got "mysql"',
    );
    for (const rounds of ['0', '2.5', '10', 'many']) {
      expect(() => parseOptions(['--rounds', rounds], {})).toThrow(
        `--rounds: expected a whole number from 1 to 9, got "${rounds}"`,
      );
    }
    expect(() => parseOptions(['--fast'], {})).toThrow("'--fast'");
  });
});
