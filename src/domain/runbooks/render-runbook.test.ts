import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixtureText } from '../../../test/support/fixtures.js';
import { parseRunbook } from './parse-runbook.js';
import { renderMarkdownSafe, renderRunbookHtml } from './render-runbook.js';

const corpus = parseYaml(fixtureText('runbooks/xss/corpus.yaml')) as { name: string; markdown: string }[];

const FORBIDDEN_TAGS = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'style',
  'form',
  'base',
  'meta',
  'link',
  'svg',
  'math',
  'body',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data']);

const decodeEntities = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every way the output could still run code, as a list of findings (empty = inert). */
function executableParts(html: string): string[] {
  const findings: string[] = [];
  if (/<script/i.test(html)) findings.push('<script');
  // Text is escaped by the sanitizer, so every `<name` left is a real tag.
  for (const [, tag = '', attributes = ''] of html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    if (FORBIDDEN_TAGS.has(tag.toLowerCase())) findings.push(`<${tag}>`);
    for (const [, name = '', value = ''] of attributes.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
      const lowerName = name.toLowerCase();
      if (/^on\w+/.test(lowerName)) findings.push(`${tag} ${name}=`);
      if (lowerName === 'style') findings.push(`${tag} style=`);
      const url = decodeEntities(value)
        .replace(/[\s\x00-\x1f]+/g, '')
        .toLowerCase();
      if (URL_ATTRIBUTES.has(lowerName) && /^(javascript|vbscript|data):/.test(url))
        findings.push(`${tag} ${name}=${url}`);
      if (/javascript:|vbscript:/.test(url)) findings.push(`${tag} ${name} mentions a script URL`);
    }
  }
  return findings;
}

const asRunbook = (markdown: string) =>
  parseRunbook({ path: 'xss.md', content: `---\ntitle: XSS\nalerts: []\n---\n${markdown}\n` });

describe('rendering hostile markdown', () => {
  it('has a corpus of at least 25 vectors', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  it.each(corpus.map((entry) => [entry.name, entry.markdown]))(
    '%s: nothing executable survives in a runbook',
    (_, markdown) => {
      expect(executableParts(renderRunbookHtml(asRunbook(markdown)))).toEqual([]);
    },
  );

  it.each(corpus.map((entry) => [entry.name, entry.markdown]))(
    '%s: nothing executable survives in a note',
    (_, markdown) => {
      expect(executableParts(renderMarkdownSafe(markdown))).toEqual([]);
    },
  );

  it('the checker itself finds what it is meant to find', () => {
    expect(executableParts('<img src="x" onerror="alert(1)">')).toEqual(['img onerror=']);
    expect(executableParts('<a href="jav&#x09;ascript:alert(1)">')).toEqual([
      'a href=javascript:alert(1)',
      'a href mentions a script URL',
    ]);
    expect(executableParts('<iframe src="data:text/html,x"></iframe>')).toEqual([
      '<iframe>',
      'iframe src=data:text/html,x',
    ]);
    expect(executableParts('<p>&lt;script&gt; onerror=alert(1)</p>')).toEqual([]);
  });

  it('keeps the text of a removed tag as text, escaped', () => {
    expect(renderMarkdownSafe('<b onclick="x">bold?</b> & <i>')).toBe('<p>bold? &amp; </p>\n');
  });

  it('escapes a code-fence info string instead of letting it break out of the class attribute', () => {
    expect(renderMarkdownSafe('```js" onmouseover="alert(1)\ncode\n```')).toBe('<pre><code>code</code></pre>\n');
  });

  it('escapes attribute-breaking cell titles and ids; the bad id is a problem, not markup', () => {
    const parsed = asRunbook('```promql title="x\\" onmouseover=\\"alert(1)"\nup\n```');
    expect(parsed.cells[0]?.title).toBe('x" onmouseover="alert(1)');
    expect(renderRunbookHtml(parsed)).toBe(
      '<div class="ab-cell" data-cell-id="x-onmouseover-alert-1"></div>\n<pre><code class="language-promql">up</code></pre>\n',
    );
  });

  it('does not let a note pose as a runbook cell or step', () => {
    const html = renderMarkdownSafe(
      '<div class="ab-cell" data-cell-id="c"></div><input type="checkbox" data-step-id="s">\n\n# Title',
    );
    expect(html).toBe('<input type="checkbox" disabled /><h1>Title</h1>\n');
  });
});

describe('rendering legitimate runbooks', () => {
  const parsed = parseRunbook({
    path: 'payments/high-error-rate.md',
    content: [
      '---',
      'title: High error rate',
      'alerts: [HighErrorRate]',
      '---',
      '# High error rate',
      '',
      '## Diagnosis',
      '',
      'See the [dashboard](https://grafana.example.com/d/abc?orgId=1 "Grafana"), the [notes](#mitigation) or <mailto:oncall@example.com>.',
      '',
      '```promql title="5xx ratio" range=1h',
      'sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m]))',
      '```',
      '',
      '```ts id=top-routes',
      'show.table([{ route: "/pay" }]);',
      '```',
      '',
      '- [ ] Check the *dashboard*',
      '- [x] Read the `payments` logs',
      '',
      '```sh',
      'kubectl -n payments logs deploy/api | grep -c " 500 "',
      '```',
      '',
      '| Route | Owner |',
      '|:------|------:|',
      '| `/pay` | [team](https://teams.example.com/pay) |',
      '',
      '## Diagnosis',
      '',
      '![architecture](https://docs.example.com/arch.png)',
    ].join('\n'),
  });
  const html = renderRunbookHtml(parsed);

  it('renders headings with unique anchor ids', () => {
    expect(html).toContain('<h1 id="high-error-rate">High error rate</h1>');
    expect(html).toContain('<h2 id="diagnosis">Diagnosis</h2>');
    expect(html).toContain('<h2 id="diagnosis-2">Diagnosis</h2>');
  });

  it('renders links with rel=noopener noreferrer, opening off-site links in a new tab', () => {
    expect(html).toContain(
      '<a href="https://grafana.example.com/d/abc?orgId=1" title="Grafana" rel="noopener noreferrer" target="_blank">dashboard</a>',
    );
    expect(html).toContain('<a href="#mitigation" rel="noopener noreferrer">notes</a>');
    expect(html).toContain(
      '<a href="mailto:oncall@example.com" rel="noopener noreferrer">mailto:oncall@example.com</a>',
    );
  });

  it('renders a promql cell as the chart mount point followed by its query', () => {
    expect(html).toContain(
      '<div class="ab-cell" data-cell-id="5xx-ratio"></div>\n' +
        '<pre><code class="language-promql">sum(rate(http_requests_total{job="{{ $labels.job }}", code=~"5.."}[5m]))</code></pre>',
    );
  });

  it('renders a script cell as a mount point followed by its code', () => {
    expect(html).toContain(
      '<div class="ab-cell" data-cell-id="top-routes"></div>\n' +
        '<pre><code class="language-ts">show.table([{ route: "/pay" }]);</code></pre>',
    );
  });

  it('renders task items as disabled checkboxes carrying the step ids', () => {
    expect(html).toContain(
      '<li><input type="checkbox" disabled data-step-id="step-check-the-dashboard" /> Check the <em>dashboard</em></li>',
    );
    expect(html).toContain(
      '<li><input type="checkbox" disabled checked data-step-id="step-read-the-payments-logs" /> Read the <code>payments</code> logs</li>',
    );
  });

  it('renders shell blocks as code to copy, tables with alignment, and https images', () => {
    expect(html).toContain(
      '<pre><code class="language-sh">kubectl -n payments logs deploy/api | grep -c " 500 "</code></pre>',
    );
    expect(html).toContain('<th align="left">Route</th>');
    expect(html).toContain(
      '<td align="right"><a href="https://teams.example.com/pay" rel="noopener noreferrer" target="_blank">team</a></td>',
    );
    expect(html).toContain('<img src="https://docs.example.com/arch.png" alt="architecture" />');
  });

  it('renders notes with the same markdown but without anchors or step ids', () => {
    expect(renderMarkdownSafe('## Update\n\n- [x] rolled back\n\n```promql\nup\n```')).toBe(
      '<h2>Update</h2>\n<ul>\n<li><input type="checkbox" disabled checked /> rolled back</li>\n</ul>\n' +
        '<pre><code class="language-promql">up</code></pre>\n',
    );
  });
});
