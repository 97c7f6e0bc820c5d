import { describe, expect, it } from 'vitest';
import { parseCellAttributes } from './cell-attributes.js';

describe('parseCellAttributes', () => {
  it('reads quoted and bare values, flags and durations', () => {
    const { attributes, problems } = parseCellAttributes(
      ' title="5xx ratio by route" range=1h30m step=1m threshold=0.01 unit=percentunit refresh=30s id="error-ratio"',
    );
    expect(problems).toEqual([]);
    expect(attributes).toEqual({
      id: 'error-ratio',
      title: '5xx ratio by route',
      instant: false,
      range: 5400,
      step: 60,
      refresh: 30,
      threshold: 0.01,
      unit: 'percentunit',
    });
  });

  it('reads a flag and an empty attribute list', () => {
    expect(parseCellAttributes('instant').attributes.instant).toBe(true);
    expect(parseCellAttributes('').attributes).toMatchObject({ id: null, title: null, instant: false, range: null });
  });

  it('unescapes \\" and \\\\ inside quoted values', () => {
    expect(parseCellAttributes(String.raw`title="the \"slow\" path \\ p99"`).attributes.title).toBe(
      String.raw`the "slow" path \ p99`,
    );
  });

  it('accepts negative and exponent thresholds', () => {
    expect(parseCellAttributes('threshold=-1.5e3').attributes.threshold).toBe(-1500);
  });

  it.each([
    [
      'color=red',
      'unknown-cell-attribute',
      0,
      'unknown cell attribute "color" (known: id, title, instant, range, step, refresh, threshold, unit)',
    ],
    ['range=1h range=2h', 'duplicate-cell-attribute', 9, 'cell attribute "range" is given twice'],
    ['range=fast', 'invalid-cell-attribute', 0, 'range must be a positive Prometheus duration, e.g. 30s, 5m, 1h30m'],
    ['step=0', 'invalid-cell-attribute', 0, 'step must be a positive Prometheus duration, e.g. 30s, 5m, 1h30m'],
    ['range=5m1h', 'invalid-cell-attribute', 0, 'range must be a positive Prometheus duration, e.g. 30s, 5m, 1h30m'],
    ['range', 'invalid-cell-attribute', 0, 'range must be a positive Prometheus duration, e.g. 30s, 5m, 1h30m'],
    ['threshold=high', 'invalid-cell-attribute', 0, 'threshold must be a number, e.g. threshold=0.01'],
    ['instant=true', 'invalid-cell-attribute', 0, 'instant is a flag: write `instant` without a value'],
    ['id="Error Ratio"', 'invalid-cell-attribute', 0, 'id must be a slug like "error-ratio" ([a-z0-9][a-z0-9._-]*)'],
    ['title=""', 'invalid-cell-attribute', 0, 'title needs a non-empty value, e.g. title="5xx ratio"'],
    ['title="open', 'invalid-cell-attribute', 0, 'title: unterminated quoted value'],
    ['title=', 'invalid-cell-attribute', 0, 'title: missing value after "="'],
    ['title="a"b', 'invalid-cell-attribute', 9, 'title: expected a space before "b"'],
    ['  ="x"', 'invalid-cell-attribute', 2, 'expected an attribute name at "="x""'],
    [
      'instant range=1h',
      'conflicting-cell-attributes',
      0,
      'an instant cell has no range or step: drop `instant` or drop range/step',
    ],
  ])('%j → %s at offset %i', (text, code, offset, message) => {
    expect(parseCellAttributes(text).problems).toEqual([{ code, offset, message }]);
  });

  it('keeps the valid attributes when others are wrong', () => {
    const { attributes, problems } = parseCellAttributes('title="ok" color=red range=1h');
    expect(problems.map((p) => p.code)).toEqual(['unknown-cell-attribute']);
    expect(attributes).toMatchObject({ title: 'ok', range: 3600 });
  });
});
