import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/support/fixtures.js';
import { decodeRangeColumns } from './decode-range-columns.js';
import { decodeQueryResponse } from './decode-response.js';
import { PrometheusError } from './errors.js';

const options = { datasource: 'default', maxSeries: 100 };
const answer = (body: string, status = 200) => ({ status, statusText: status === 200 ? 'OK' : 'Error', body });

/** What decodeQueryResponse makes of the same body, as columns: the meaning the scanner must keep. */
function expected(body: string, maxSeries = options.maxSeries) {
  const result = decodeQueryResponse(answer(body), { ...options, maxSeries });
  if (!('series' in result)) throw new Error('not a series result');
  const { resultType: _type, series, ...rest } = result;
  return {
    ...rest,
    series: series.map(({ metric, values }) => ({
      metric,
      times: Float64Array.from(values, ([t]) => t),
      values: Float64Array.from(values, ([, v]) => v),
    })),
  };
}

const matrix = (result: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ status: 'success', data: { resultType: 'matrix', result }, ...extra });

describe('decodeRangeColumns', () => {
  it.each([
    'query_range_matrix_rate.json',
    'query_range_matrix_up.json',
    'docs-api.md_query_range_matrix.json',
    'openapi-golden_query_range_histogramResult.json',
  ])('reads %s as decodeQueryResponse does', (name) => {
    const body = fixtureText(`prometheus/${name}`);
    expect(decodeRangeColumns(answer(body), options)).toEqual(expected(body));
  });

  it('reads every value exactly as Number() does, the special ones as Prometheus spells them', () => {
    const numbers = [0, 1, -1, 0.1, 0.3, 1e-7, 123456789012345680000, 5e-324, Number.MAX_VALUE, 2 ** 53, 2 ** 53 + 2];
    // Shortest round-trip decimals, as Go's strconv writes them: 15, 16 and 17 digits.
    for (let i = 0; i < 20_000; i++) numbers.push(Math.random() * 10 ** Math.floor(Math.random() * 12 - 6));
    const texts = [...numbers.map(String), '-0', 'NaN', '+Inf', '-Inf', '1e+00', '0.000', '007', '5.', '1E3'];
    const body = matrix([{ metric: { a: '1' }, values: texts.map((text, i) => [1_700_000_000 + i / 1000, text]) }]);
    const decoded = decodeRangeColumns(answer(body), options);
    expect(decoded).toEqual(expected(body));
    expect(Array.from(decoded.series[0]!.values.subarray(0, numbers.length))).toEqual(numbers);
  });

  it('keeps the first maxSeries series, counts the rest, and passes warnings and infos on', () => {
    const body = matrix(
      Array.from({ length: 5 }, (_, s) => ({ metric: { s: `\u00e9"${s}\\` }, values: [[1, String(s)]] })),
      { warnings: ['w'], infos: ['i'] },
    );
    const decoded = decodeRangeColumns(answer(body), { ...options, maxSeries: 2 });
    expect(decoded).toEqual(expected(body, 2));
    expect(decoded).toMatchObject({ truncated: true, totalSeries: 5, warnings: ['w'], infos: ['i'] });
  });

  it('reads a body laid out with whitespace and keys in another order', () => {
    const body = `{ "data" : { "result" : [ { "values" : [ [ 1 , "2" ] , [ 2.5 , "-3.25" ] ] , "metric" : { } } ] ,
      "resultType" : "matrix" } , "status" : "success" }`;
    expect(decodeRangeColumns(answer(body), options)).toEqual(expected(body));
  });

  it.each([
    ['an API error', fixtureText('prometheus/error_400_bad_data_parse.json'), 400],
    ['a body that is not JSON', '<html>proxy error</html>', 502],
    ['a value that is not a number', matrix([{ metric: {}, values: [[1, 'x']] }]), 200],
    ['a sample without a time', matrix([{ metric: {}, values: [['1', '2']] }]), 200],
    ['a truncated body', matrix([{ metric: {}, values: [[1, '2']] }]).slice(0, -10), 200],
  ])('fails on %s with the error decodeQueryResponse gives', (_name, body, status) => {
    let wanted: unknown;
    try {
      decodeQueryResponse(answer(body, status), options);
    } catch (error) {
      wanted = error;
    }
    expect(wanted).toBeInstanceOf(PrometheusError);
    expect(() => decodeRangeColumns(answer(body, status), options)).toThrow(wanted as Error);
  });

  it('refuses a range answer that is not a matrix or vector', () => {
    const body = JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } });
    expect(() => decodeRangeColumns(answer(body), options)).toThrow(/answered a range query with a scalar/);
  });
});
