import { describe, expect, it } from 'vitest';
import { fixtureNames, fixtureText } from '../../test/support/fixtures.js';
import { decodeQueryResponse, type UpstreamAnswer } from './decode-response.js';
import { PrometheusError } from './errors.js';

const options = { datasource: 'default', maxSeries: 100 };

function decode(body: string, status = 200, statusText = 'OK') {
  return decodeQueryResponse({ status, statusText, body }, options);
}

function decodeFixture(name: string, status = 200) {
  return decode(fixtureText(`prometheus/${name}`), status);
}

/** The PrometheusError a call throws (fails the test when it does not throw one). */
function failure(call: () => unknown): PrometheusError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusError);
    return error as PrometheusError;
  }
  throw new Error('expected a PrometheusError');
}

function success(data: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ status: 'success', data, ...extra });
}

describe('decoding successful answers', () => {
  it('reads an instant vector captured from Prometheus', () => {
    expect(decodeFixture('query_instant_vector_up.json')).toEqual({
      resultType: 'vector',
      series: [
        { metric: { __name__: 'up', instance: '127.0.0.1:9090', job: 'prometheus' }, values: [[1795332687.567, 1]] },
        { metric: { __name__: 'up', instance: '127.0.0.1:9093', job: 'alertmanager' }, values: [[1795332687.567, 1]] },
      ],
      truncated: false,
      totalSeries: 2,
      warnings: [],
    });
  });

  it('reads an empty vector', () => {
    expect(decodeFixture('query_instant_vector_empty.json')).toMatchObject({
      resultType: 'vector',
      series: [],
      totalSeries: 0,
    });
  });

  it('reads a matrix with float strings', () => {
    expect(decodeFixture('query_range_matrix_rate.json')).toMatchObject({
      resultType: 'matrix',
      series: [
        {
          metric: { job: 'prometheus' },
          values: [
            [1795332672.561, 0.09303472638805572],
            [1795332687.561, 0.19306263959729308],
          ],
        },
      ],
    });
  });

  it('reads every success fixture, from captures, the docs and the OpenAPI golden file', () => {
    const names = fixtureNames('prometheus').filter((name) => /^(query_|docs-api|openapi-golden)/.test(name));
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) expect(decodeFixture(name).resultType, name).toMatch(/^(matrix|vector|scalar|string)$/);
  });

  it('keeps scalar and string results as Prometheus sends them', () => {
    expect(decodeFixture('query_instant_scalar.json')).toEqual({
      resultType: 'scalar',
      value: [1795332687.561, '42'],
      warnings: [],
    });
    expect(decodeFixture('query_instant_string.json')).toEqual({
      resultType: 'string',
      value: [1795332687.561, 'hello'],
      warnings: [],
    });
  });

  it('parses NaN and both infinities, and exponent notation', () => {
    const body = success({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [1, 'NaN'],
            [2, '+Inf'],
            [3, '-Inf'],
            [4, '1e+00'],
            [5, '-0.5'],
          ],
        },
      ],
    });
    const result = decode(body);
    expect(result).toMatchObject({
      series: [
        {
          values: [
            [1, NaN],
            [2, Infinity],
            [3, -Infinity],
            [4, 1],
            [5, -0.5],
          ],
        },
      ],
    });
  });

  it('caps the series and says how many there were', () => {
    const result = [...Array(5).keys()].map((i) => ({ metric: { i: String(i) }, value: [1, String(i)] }));
    const decoded = decodeQueryResponse(
      { status: 200, statusText: 'OK', body: success({ resultType: 'vector', result }) },
      { ...options, maxSeries: 2 },
    );
    expect(decoded).toMatchObject({
      truncated: true,
      totalSeries: 5,
      series: [{ metric: { i: '0' } }, { metric: { i: '1' } }],
    });
  });

  it('does not validate the series beyond the cap', () => {
    const result = [
      { metric: {}, value: [1, '1'] },
      { metric: {}, value: [1, 'garbage'] },
    ];
    const body = success({ resultType: 'vector', result });
    expect(decodeQueryResponse({ status: 200, statusText: 'OK', body }, { ...options, maxSeries: 1 })).toMatchObject({
      totalSeries: 2,
    });
  });

  it('passes warnings and infos through', () => {
    const body = success(
      { resultType: 'vector', result: [] },
      { warnings: ['results truncated due to limit'], infos: ['PromQL info: metric might not be a counter'] },
    );
    expect(decode(body)).toMatchObject({
      warnings: ['results truncated due to limit'],
      infos: ['PromQL info: metric might not be a counter'],
    });
    expect(decode(success({ resultType: 'vector', result: [] }))).not.toHaveProperty('infos');
  });

  it('leaves native histogram samples out with a warning', () => {
    const vector = decodeFixture('openapi-golden_query_histogramResult.json');
    expect(vector).toMatchObject({
      resultType: 'vector',
      series: [{ values: [] }],
      warnings: [expect.stringContaining('histogram_quantile')],
    });
    const matrix = decodeFixture('openapi-golden_query_range_histogramResult.json');
    expect(matrix).toMatchObject({
      resultType: 'matrix',
      series: [{ values: [] }],
      warnings: [expect.stringContaining('native histogram')],
    });
  });
});

describe('decoding errors', () => {
  it('keeps a parse error verbatim, with its position', () => {
    const error = failure(() => decodeFixture('error_400_bad_data_parse.json', 400));
    expect(error).toMatchObject({
      kind: 'bad_data',
      status: 400,
      retryable: false,
      message: 'invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
      position: { line: 1, column: 7 },
    });
  });

  it('reports range errors as bad_data without a position', () => {
    const error = failure(() => decodeFixture('error_400_bad_data_too_many_points.json', 400));
    expect(error.kind).toBe('bad_data');
    expect(error.message).toMatch(/11,000 points/);
    expect(error.position).toBeUndefined();
  });

  it('reports evaluation errors as execution', () => {
    const error = failure(() => decodeFixture('error_422_execution_matching.json', 422));
    expect(error).toMatchObject({ kind: 'execution', status: 422, retryable: false });
    expect(error.message).toMatch(/^found duplicate series/);
  });

  it.each([
    ['timeout', 503, 'timeout', true],
    ['canceled', 499, 'canceled', false],
    ['internal', 500, 'upstream', true],
    ['unavailable', 500, 'unavailable', true],
    ['too_many_requests', 429, 'unavailable', true],
    ['something_new', 418, 'upstream', false],
  ] as const)('maps errorType %s (HTTP %i) to %s', (errorType, status, kind, retryable) => {
    const error = failure(() => decode(JSON.stringify({ status: 'error', errorType, error: 'boom' }), status));
    expect(error).toMatchObject({ kind, status, retryable, message: 'datasource "default": boom' });
  });

  it.each<[string, UpstreamAnswer, string, boolean]>([
    [
      'a starting Prometheus',
      { status: 503, statusText: 'Service Unavailable', body: 'Service Unavailable' },
      'unavailable',
      true,
    ],
    [
      'an HTML page from a proxy',
      { status: 502, statusText: 'Bad Gateway', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      'upstream',
      true,
    ],
    ['a rate limit', { status: 429, statusText: 'Too Many Requests', body: 'slow down' }, 'unavailable', true],
    ['a gateway timeout', { status: 504, statusText: 'Gateway Timeout', body: '' }, 'timeout', true],
    ['a wrong path prefix', { status: 404, statusText: 'Not Found', body: '404 page not found\n' }, 'upstream', false],
    ['truncated JSON', { status: 200, statusText: 'OK', body: '{"status":"success","data":{"resu' }, 'upstream', false],
    ['JSON that is not the envelope', { status: 200, statusText: 'OK', body: '[1,2,3]' }, 'upstream', false],
  ])('classifies %s by its HTTP status', (_, answer, kind, retryable) => {
    const error = failure(() => decodeQueryResponse(answer, options));
    expect(error).toMatchObject({ kind, status: answer.status, retryable });
    expect(error.message).toContain(`datasource "default" answered HTTP ${answer.status}`);
  });

  it('quotes the start of a non-JSON body, whitespace collapsed', () => {
    const error = failure(() => decode('<html>\n  <h1>502 Bad Gateway</h1>\n</html>', 502, 'Bad Gateway'));
    expect(error.message).toBe(
      'datasource "default" answered HTTP 502 Bad Gateway: <html> <h1>502 Bad Gateway</h1> </html>',
    );
  });

  it('names the offending field of a malformed success answer', () => {
    const badValue = success({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [1, '1'],
            [2, 'lots'],
          ],
        },
      ],
    });
    expect(failure(() => decode(badValue)).message).toBe(
      'datasource "default" sent an unexpected response: data.result[0].values[1][1]: "lots" is not a sample value',
    );
    const badType = success({ resultType: 'table', result: [] });
    expect(failure(() => decode(badType))).toMatchObject({
      kind: 'upstream',
      message: expect.stringContaining('data.resultType'),
    });
    const badLabel = success({ resultType: 'vector', result: [{ metric: { job: 1 }, value: [1, '1'] }] });
    expect(failure(() => decode(badLabel)).message).toContain('data.result[0].metric.job');
  });
});
