import { describe, expect, it } from 'vitest';
import {
  isOurRunbookUrl,
  matchesLabels,
  runbookFileNamesFor,
  runbookIdNamedByUrl,
  RunbookFinder,
  type CatalogueEntry,
} from './link-runbook.js';
import type { LabelMatcher } from './runbook.js';

const findRunbook = (alert: Parameters<RunbookFinder['find']>[0], catalogue: CatalogueEntry[]) =>
  new RunbookFinder(catalogue).find(alert);

function entry(id: string, alerts: string[] = [], match: LabelMatcher[] = [], path = `${id}.md`): CatalogueEntry {
  return { id, path, alerts, match };
}

function alert(labels: Record<string, string>, annotations: Record<string, string> = {}) {
  return { labels, annotations };
}

const eq = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
const re = (label: string, value: string): LabelMatcher => ({ label, op: '=~', value });

describe('findRunbook precedence', () => {
  const catalogue = [
    entry('api/errors', ['APIErrorRateHigh']),
    entry('api-error-rate-high'),
    entry('linked-by-url', [], [], 'ops/linked-by-url.md'),
  ];

  it('prefers a runbook_url pointing at one of our runbooks over frontmatter and file name', () => {
    const found = findRunbook(
      alert({ alertname: 'APIErrorRateHigh' }, { runbook_url: 'https://wiki.example/runbooks/linked-by-url' }),
      catalogue,
    );
    expect(found).toEqual({ kind: 'runbook', id: 'linked-by-url', via: 'runbook_url' });
  });

  it('prefers frontmatter over a file named after the alert', () => {
    expect(findRunbook(alert({ alertname: 'APIErrorRateHigh' }), catalogue)).toEqual({
      kind: 'runbook',
      id: 'api/errors',
      via: 'frontmatter',
    });
  });

  it('falls back to a file named after the alert', () => {
    expect(findRunbook(alert({ alertname: 'APIErrorRateHigh' }), [entry('api-error-rate-high')])).toEqual({
      kind: 'runbook',
      id: 'api-error-rate-high',
      via: 'filename',
    });
  });

  it('falls through an unresolved runbook_url of ours to frontmatter', () => {
    const found = findRunbook(alert({ alertname: 'APIErrorRateHigh' }, { runbook_url: '/runbooks/gone' }), catalogue);
    expect(found).toEqual({ kind: 'runbook', id: 'api/errors', via: 'frontmatter' });
  });

  it('returns a foreign runbook_url as external when no runbook of ours serves the alert', () => {
    const url = 'https://wiki.example.com/pages/TargetDown';
    expect(findRunbook(alert({ alertname: 'TargetDown' }, { runbook_url: ` ${url} ` }), catalogue)).toEqual({
      kind: 'external',
      url,
    });
  });

  it('never resolves a foreign URL by its last path segment', () => {
    const found = findRunbook(
      alert({ alertname: 'X' }, { runbook_url: 'https://wiki.example.com/api-error-rate-high' }),
      catalogue,
    );
    expect(found).toEqual({ kind: 'external', url: 'https://wiki.example.com/api-error-rate-high' });
  });

  it('returns null for an alert nothing serves', () => {
    expect(findRunbook(alert({ alertname: 'Unknown' }), catalogue)).toBeNull();
    expect(findRunbook(alert({}), catalogue)).toBeNull();
  });
});

describe('findRunbook specificity', () => {
  const general = entry('general', ['HighLatency']);
  const payments = entry('payments', ['HighLatency'], [eq('service', 'payments')]);
  const paymentsEu = entry('payments-eu', ['HighLatency'], [eq('service', 'payments'), re('region', 'eu-.*')]);
  const catalogue = [paymentsEu, general, payments];

  it('picks the runbook with the most matchers that accept the labels', () => {
    const id = (labels: Record<string, string>) => {
      const found = findRunbook(alert({ alertname: 'HighLatency', ...labels }), catalogue);
      return found?.kind === 'runbook' ? found.id : null;
    };
    expect(id({ service: 'payments', region: 'eu-west-1' })).toBe('payments-eu');
    expect(id({ service: 'payments', region: 'us-east-1' })).toBe('payments');
    expect(id({ service: 'search' })).toBe('general');
  });

  it('breaks a tie between equally specific runbooks by id, whatever the catalogue order', () => {
    const a = entry('a', ['HighLatency'], [eq('team', 'x')]);
    const b = entry('b', ['HighLatency'], [eq('tier', '1')]);
    const labels = { alertname: 'HighLatency', team: 'x', tier: '1' };
    expect(findRunbook(alert(labels), [b, a])).toMatchObject({ id: 'a' });
    expect(findRunbook(alert(labels), [a, b])).toMatchObject({ id: 'a' });
  });
});

describe('matchesLabels', () => {
  it('treats an absent label as the empty string, as Prometheus does', () => {
    expect(matchesLabels([eq('env', '')], {})).toBe(true);
    expect(matchesLabels([{ label: 'env', op: '!=', value: 'prod' }], {})).toBe(true);
    expect(matchesLabels([re('env', '.+')], {})).toBe(false);
  });

  it('anchors regexes at both ends', () => {
    expect(matchesLabels([re('service', 'pay')], { service: 'payments' })).toBe(false);
    expect(matchesLabels([re('service', 'pay.*')], { service: 'payments' })).toBe(true);
    expect(matchesLabels([re('service', 'api|web')], { service: 'webhooks' })).toBe(false);
    expect(matchesLabels([re('service', 'api|web')], { service: 'web' })).toBe(true);
  });

  it('negates regexes with !~, anchored too', () => {
    const notProd: LabelMatcher = { label: 'env', op: '!~', value: 'prod' };
    expect(matchesLabels([notProd], { env: 'prod' })).toBe(false);
    expect(matchesLabels([notProd], { env: 'production' })).toBe(true);
  });

  it('lets dot match newlines and honours a leading (?i), like Prometheus', () => {
    expect(matchesLabels([re('msg', 'a.b')], { msg: 'a\nb' })).toBe(true);
    expect(matchesLabels([re('env', '(?i)prod')], { env: 'PROD' })).toBe(true);
  });

  it('never applies a runbook whose regex does not compile', () => {
    expect(matchesLabels([re('env', '(')], { env: '(' })).toBe(false);
    expect(matchesLabels([{ label: 'env', op: '!~', value: '(' }], { env: 'x' })).toBe(false);
  });

  it('requires every matcher', () => {
    const matchers = [eq('a', '1'), eq('b', '2')];
    expect(matchesLabels(matchers, { a: '1', b: '2' })).toBe(true);
    expect(matchesLabels(matchers, { a: '1' })).toBe(false);
  });

  it('does not read inherited properties as labels', () => {
    expect(matchesLabels([eq('constructor', '')], {})).toBe(true);
  });
});

describe('runbook_url resolution', () => {
  const catalogue = [
    entry('api/errors', [], [], 'api/errors.md'),
    entry('custom-id', [], [], 'team/disk-full.md'),
    entry('alertmanager/alertmanagerfailedreload'),
  ];

  it.each([
    ['https://runbooks.example.com/runbooks/api/errors', 'api/errors'],
    ['https://github.com/acme/ops/blob/main/runbooks/api/errors.md#diagnosis', 'api/errors'],
    ['/runbooks/custom-id?from=alert', 'custom-id'],
    ['/runbooks/team/disk-full', 'custom-id'],
    ['runbooks/api/errors.md', 'api/errors'],
    ['api/errors', 'api/errors'],
    ['./custom-id', 'custom-id'],
    ['../docs/disk-full.md', 'custom-id'],
    [
      'https://runbooks.prometheus-operator.dev/runbooks/alertmanager/alertmanagerfailedreload',
      'alertmanager/alertmanagerfailedreload',
    ],
    ['/runbooks/api%2Ferrors', 'api/errors'],
  ])('resolves %s to %s', (url, id) => {
    expect(new RunbookFinder(catalogue).idForUrl(url)).toBe(id);
  });

  it('returns null for a URL of ours that names no runbook, and for a foreign one', () => {
    expect(new RunbookFinder(catalogue).idForUrl('/runbooks/nope')).toBeNull();
    expect(new RunbookFinder(catalogue).idForUrl('https://wiki.example/api/errors')).toBeNull();
  });

  it.each([
    ['https://runbooks.prometheus-operator.dev/runbooks/general/targetdown', 'general/targetdown'],
    ['/runbooks/api/errors.html?x=1', 'api/errors'],
    ['./docs/disk-full.md', 'docs/disk-full'],
    ['https://wiki.example/page', null],
  ])('reads the runbook id %s names: %s', (url, id) => {
    expect(runbookIdNamedByUrl(url)).toBe(id);
  });

  it.each([
    ['relative path', 'docs/x.md', true],
    ['absolute with /runbooks/', 'https://x.example/runbooks/a', true],
    ['absolute elsewhere', 'https://wiki.example/page', false],
    ['host named runbooks', 'https://runbooks.example/page', false],
    ['protocol-relative', '//wiki.example/page', false],
  ])('classifies a %s as ours: %s', (_what, url, ours) => {
    expect(isOurRunbookUrl(url)).toBe(ours);
  });
});

describe('runbookFileNamesFor', () => {
  it.each([
    ['APIErrorRateHigh', ['APIErrorRateHigh.md', 'api-error-rate-high.md']],
    ['KubePodCrashLooping', ['KubePodCrashLooping.md', 'kube-pod-crash-looping.md']],
    ['HTTP5xxErrors', ['HTTP5xxErrors.md', 'http5xx-errors.md']],
    ['node_down', ['node_down.md', 'node-down.md']],
    ['targetdown', ['targetdown.md']],
  ])('%s → %j', (alertname, names) => {
    expect(runbookFileNamesFor(alertname)).toEqual(names);
  });

  it('links by file name in any folder', () => {
    const found = findRunbook(alert({ alertname: 'KubePodCrashLooping' }), [
      entry('k8s/pods', [], [], 'k8s/kube-pod-crash-looping.md'),
    ]);
    expect(found).toEqual({ kind: 'runbook', id: 'k8s/pods', via: 'filename' });
  });
});
