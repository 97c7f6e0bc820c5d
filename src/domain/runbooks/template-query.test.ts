import { describe, expect, it } from 'vitest';
import { parsePromql, treeShape } from './promql-syntax.js';
import { checkQueryTemplate, renderQuery, TemplateError, type TemplateVars } from './template-query.js';

const shape = (query: string) => treeShape(parsePromql(query));

function render(template: string, labels: Record<string, string>, externalURL = 'https://am.example.com'): string {
  return renderQuery(template, { labels, annotations: { summary: 'Disk "almost" full' }, externalURL });
}

function renderError(template: string, vars: Partial<TemplateVars> = {}): TemplateError {
  try {
    renderQuery(template, { labels: {}, annotations: {}, externalURL: '', ...vars });
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`rendered without error: ${template}`);
}

/** The value a Go/PromQL double- or single-quoted literal stands for (test oracle; our escapes only). */
function decodeLiteral(literal: string): string {
  const inner = literal.slice(1, -1);
  return inner.replace(/\\(x[0-9a-f]{2}|.)/g, (_, escape: string) => {
    if (escape.startsWith('x')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escape] ?? escape;
  });
}

describe('renderQuery with hostile label values', () => {
  const equality = 'sum(rate(http_requests_total{job="{{ $labels.job }}"}[5m]))';
  const regex = 'up{instance=~"{{ $labels.job }}"}';

  it.each([
    ['closing the matcher and appending an expression', '"} or vector(1) #', String.raw`"\"} or vector(1) #"`],
    ['a quote', 'a"b', String.raw`"a\"b"`],
    ['an escaped quote', String.raw`a\"b`, String.raw`"a\\\"b"`],
    ['regex metacharacters in an equality matcher', '.*', '".*"'],
    ['an alternation in an equality matcher', 'x|y', '"x|y"'],
    ['a newline', 'a\nb', String.raw`"a\nb"`],
    ['a carriage return and a tab', 'a\r\tb', String.raw`"a\r\tb"`],
    ['a control character', 'a\x01b', String.raw`"a\x01b"`],
    ['a backslash', String.raw`C:\temp\new`, String.raw`"C:\\temp\\new"`],
    ['unicode', '服务异常告警 ✓ café', '"服务异常告警 ✓ café"'],
    ['a placeholder inside the value', '{{ $labels.secret }}', '"{{ $labels.secret }}"'],
    ['a single quote', "it's", `"it's"`],
  ])('%s in an equality matcher', (_, value, literal) => {
    const rendered = render(equality, { job: value });
    expect(rendered).toBe(`sum(rate(http_requests_total{job=${literal}}[5m]))`);
    expect(shape(rendered)).toEqual(shape(equality));
    expect(decodeLiteral(literal)).toBe(value);
  });

  it.each([
    ['.*', String.raw`"\\.\\*"`],
    ['x|y', String.raw`"x\\|y"`],
    ['"} or vector(1) #', String.raw`"\"\\} or vector\\(1\\) #"`],
    ['a.b:9100', String.raw`"a\\.b:9100"`],
    [String.raw`a\d`, String.raw`"a\\\\d"`],
    ['(?i)^$[]{}+?', String.raw`"\\(\\?i\\)\\^\\$\\[\\]\\{\\}\\+\\?"`],
    ['a\nb', String.raw`"a\nb"`],
  ])('%j in a regex matcher is quoted to match literally', (value, literal) => {
    const rendered = render(regex, { job: value });
    expect(rendered).toBe(`up{instance=~${literal}}`);
    expect(shape(rendered)).toEqual(shape(regex));
    // Prometheus anchors regex matchers; the quoted regex matches the value and nothing else.
    const anchored = new RegExp(`^(?:${decodeLiteral(literal)})$`);
    expect(anchored.test(value)).toBe(true);
    expect(anchored.test(`${value}x`)).toBe(false);
  });

  it('escapes for the literal’s own quote in single-quoted strings', () => {
    const template = "up{job='{{ $labels.job }}'}";
    const rendered = render(template, { job: `it's "x"` });
    expect(rendered).toBe(String.raw`up{job='it\'s "x"'}`);
    expect(shape(rendered)).toEqual(shape(template));
  });

  it('rewrites a raw `backtick` string as a double-quoted one, since raw strings cannot escape', () => {
    const template = 'up{job=`{{ $labels.job }}`, path=~`C:\\{{ $labels.dir }}\\.*`}';
    const rendered = render(template, { job: 'a`} or vector(1) #', dir: 'x.y' });
    expect(rendered).toBe(`${String.raw`up{job="a`}\`${String.raw`} or vector(1) #", path=~"C:\\x\\.y\\.*"}`}`);
    expect(shape(rendered)).toEqual(shape(template));
  });

  it('fills several placeholders in one literal and leaves the rest of the query untouched', () => {
    const template = 'up{instance="{{ $labels.host }}:{{$labels.port}}"}\n  and on() vector(1)';
    expect(render(template, { host: 'db-1', port: '9100' })).toBe('up{instance="db-1:9100"}\n  and on() vector(1)');
  });

  it('fills annotations and the external URL', () => {
    const template =
      'label_replace(vector(1), "link", "{{ $externalURL }}/#/alerts?x=$", "", "") or label_replace(vector(1), "s", "{{ $annotations.summary }}", "", "")';
    const rendered = render(template, {}, 'https://am.example.com/$1');
    expect(rendered).toContain('"https://am.example.com/$$1/#/alerts?x=$"');
    expect(rendered).toContain(String.raw`"Disk \"almost\" full"`);
    expect(shape(rendered)).toEqual(shape(template));
  });

  it('keeps $ literal in a label_replace replacement and quotes its regex argument', () => {
    const template = 'label_replace(up, "dst", "{{ $labels.job }}-$1", "instance", "{{ $labels.host }}:(.*)")';
    const rendered = render(template, { job: '$2${x}', host: 'db.1' });
    expect(rendered).toBe('label_replace(up, "dst", "$$2$${x}-$1", "instance", "db\\\\.1:(.*)")');
    expect(shape(rendered)).toEqual(shape(template));
  });

  it('never changes the tree, for any value of up to two awkward characters in any kind of literal', () => {
    const alphabet = ['"', "'", '`', '\\', '\n', '{', '}', '$', '|', '.', '*', '(', ')', '#', ' ', 'é', '\x00'];
    const values = alphabet.flatMap((a) => alphabet.map((b) => a + b));
    const templates = [
      'up{job="{{ $labels.v }}"} or vector(1)',
      "up{job='{{ $labels.v }}'} or vector(1)",
      'up{job=`{{ $labels.v }}`} or vector(1)',
      'up{job=~"x{{ $labels.v }}"} or vector(1)',
      'up{job!~`{{ $labels.v }}`} or vector(1)',
      '{"{{ $labels.v }}", "a.b"!="{{ $labels.v }}"}',
    ];
    for (const template of templates) {
      const expected = shape(template);
      for (const value of values) expect(shape(render(template, { v: value }))).toEqual(expected);
    }
  });
});

describe('template problems', () => {
  it.each([
    ['a metric name', '{{ $labels.metric }}_total', 0],
    ['a number', 'up > {{ $labels.threshold }}', 5],
    ['a range duration', 'rate(x[{{ $labels.window }}])', 7],
    ['a label name', 'up{ {{ $labels.name }}="x"}', 4],
    ['a comment, where a newline would end it', 'up # {{ $labels.job }}', 5],
  ])('rejects a placeholder in %s', (_, template, offset) => {
    const problems = checkQueryTemplate(template);
    expect(problems).toContainEqual(expect.objectContaining({ code: 'placeholder-outside-string', offset }));
    const error = renderError(template, {
      labels: { metric: 'up', threshold: '1', window: '5m', name: 'job', job: 'x' },
    });
    expect(error.code).toBe('placeholder-outside-string');
    expect(error.offset).toBe(offset);
  });

  it.each([
    ['{{ $value }}'],
    ['{{ .Labels.job }}'],
    ['{{ $labels.job | toUpper }}'],
    ['{{ $labels.with.dot }}'],
    ['{{ $externalLabels.cluster }}'],
  ])('rejects the unknown placeholder %s, naming the forms that exist', (placeholder) => {
    const template = `up{job="${placeholder}"}`;
    expect(checkQueryTemplate(template)).toEqual([
      {
        offset: 8,
        length: placeholder.length,
        code: 'unknown-placeholder',
        message: `unknown placeholder "${placeholder}": use {{ $labels.<name> }}, {{ $annotations.<name> }} or {{ $externalURL }}`,
      },
    ]);
  });

  it('rejects an unterminated placeholder', () => {
    expect(checkQueryTemplate('up{job="{{ $labels.job"}')).toEqual([
      expect.objectContaining({
        code: 'unknown-placeholder',
        offset: 8,
        message: expect.stringContaining('without a closing "}}"'),
      }),
    ]);
  });

  it('accepts placeholders with or without spaces inside the braces', () => {
    expect(checkQueryTemplate('up{a="{{$labels.a}}", b="{{   $labels.b   }}", c="{{$externalURL}}"}')).toEqual([]);
  });

  it('reports the first PromQL syntax error at the offending offset', () => {
    expect(checkQueryTemplate('sum(rate(x{job="{{ $labels.job }}"}[5m])')).toEqual([
      { offset: 40, length: 0, code: 'promql-syntax', message: 'unexpected end of query' },
    ]);
    expect(checkQueryTemplate('up{job="a" or')).toEqual([
      { offset: 11, length: 2, code: 'promql-syntax', message: 'unexpected "or"' },
    ]);
    expect(checkQueryTemplate('up{job="abc}')).toEqual([
      { offset: 7, length: 5, code: 'promql-syntax', message: 'unterminated string literal' },
    ]);
    expect(checkQueryTemplate("label_join(up, 'a', ',', 'b)").map((p) => [p.offset, p.message])).toEqual([
      [25, 'unterminated string literal'],
    ]);
    expect(checkQueryTemplate('up{job=`abc}').map((p) => [p.offset, p.message])).toEqual([[7, 'unexpected "`"']]);
    expect(checkQueryTemplate('')).toEqual([
      { offset: 0, length: 0, code: 'promql-syntax', message: 'unexpected end of query' },
    ]);
  });

  it('fails a render when the alert lacks a label the query needs, without consulting Object.prototype', () => {
    const missing = renderError('up{job="{{ $labels.job }}"}', { labels: { instance: 'x' } });
    expect(missing).toMatchObject({ code: 'missing-value', offset: 8, message: 'the alert has no label "job"' });
    expect(renderError('up{job="{{ $labels.constructor }}"}').code).toBe('missing-value');
    expect(renderError('up{job="{{ $annotations.toString }}"}').message).toBe('the alert has no annotation "toString"');
  });

  it('renders a template without placeholders unchanged', () => {
    const query = 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))';
    expect(render(query, {})).toBe(query);
  });
});
