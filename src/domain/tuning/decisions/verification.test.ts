import { describe, expect, it } from 'vitest';
import { decidedDefinition, isDue, predicted, verificationSpans } from './verification.js';

const FROM = {
  threshold: 0.5,
  operator: '>',
  for: '5m',
  keepFiringFor: null,
  expr: 'sum(rate(errors_total[5m])) > 0.5 and on() up == 1',
};
const NO_CHANGE = { threshold: null, for: null, keepFiringFor: null, expr: null };

describe('verification figures', () => {
  it('writes the to-values into the from-values: the threshold literal in place, durations in seconds', () => {
    expect(decidedDefinition(FROM, 0, { ...NO_CHANGE, threshold: 0.75, keepFiringFor: '2m' })).toEqual({
      expr: 'sum(rate(errors_total[5m])) > 0.75 and on() up == 1',
      forSeconds: 300,
      keepFiringForSeconds: 120,
    });
    expect(decidedDefinition(FROM, 1, { ...NO_CHANGE, threshold: 0 })).toMatchObject({
      expr: 'sum(rate(errors_total[5m])) > 0.5 and on() up == 0',
    });
    expect(decidedDefinition(FROM, 0, { ...NO_CHANGE, expr: 'up == 0', for: '0s' })).toEqual({
      expr: 'up == 0',
      forSeconds: 0,
      keepFiringForSeconds: 0,
    });
  });

  it('windows verifyAfter long from the application, and as long before it', () => {
    const appliedAt = new Date('2026-11-04T10:00:00Z');
    expect(verificationSpans(appliedAt, 86_400)).toEqual({
      after: { from: appliedAt, to: new Date('2026-11-05T10:00:00Z') },
      before: { from: new Date('2026-11-03T10:00:00Z'), to: appliedAt },
    });
    expect(isDue(appliedAt, 86_400, new Date('2026-11-05T09:59:59Z'))).toBe(false);
    expect(isDue(appliedAt, 86_400, new Date('2026-11-05T10:00:00Z'))).toBe(true);
  });

  it("predicts with the backtest run of the decided definition, scaled to the window's length", () => {
    const run = (expr: string, forSeconds: number, firings: number, timeFiring: number) => ({
      definition: { expr, forSeconds, keepFiringForSeconds: 0 },
      firings,
      timeFiring,
    });
    const backtest = {
      window: { start: 0, end: 7 * 86_400 },
      current: run('x > 0.5', 300, 41, 20_000),
      candidates: [run('x > 0.6', 300, 3, 1_800), run('x > 0.6', 600, 2, 1_000)],
    };
    const definition = { expr: 'x > 0.6', forSeconds: 600, keepFiringForSeconds: 0 };
    expect(predicted(backtest, definition, 7 * 86_400)).toEqual({ episodes: 2, firingSeconds: 1_000 });
    expect(predicted(backtest, definition, 86_400)).toEqual({ episodes: 0.29, firingSeconds: 142.86 });
    expect(predicted(backtest, { ...definition, forSeconds: 900 }, 86_400)).toBeNull();
  });
});
