import { describe, expect, it } from 'vitest';
import { formatLabelSet, quoteMeta, routeKeyOf, webhookBodyOf } from './alertmanager-group.js';

describe('Alertmanager groups as webhooks name them', () => {
  it('quotes a receiver name as Go regexp.QuoteMeta does (a webhook sends `web\\.hook`)', () => {
    expect(quoteMeta('web.hook')).toBe('web\\.hook');
    expect(quoteMeta('a+b*(c)|[d]{e}^$?\\')).toBe('a\\+b\\*\\(c\\)\\|\\[d\\]\\{e\\}\\^\\$\\?\\\\');
  });

  it('writes group labels sorted and quoted, and finds the route key in front of them', () => {
    const labels = { job: 'alertmanager', alertname: 'TargetUp' };
    expect(formatLabelSet(labels)).toBe('{alertname="TargetUp", job="alertmanager"}');
    expect(routeKeyOf('{}/{scenario="prom"}:{alertname="TargetUp", job="alertmanager"}', labels)).toBe(
      '{}/{scenario="prom"}',
    );
    expect(routeKeyOf('{}:{alertname="Other"}', labels)).toBeNull();
  });

  it('builds the firing notification Alertmanager would send: zero endsAt, common labels', () => {
    const alert = (instance: string) => ({
      labels: { alertname: 'DiskFull', instance },
      annotations: { summary: 'full' },
      startsAt: '2026-12-04T10:00:00.000Z',
      endsAt: '2026-12-04T10:05:00.000Z',
      fingerprint: `fp-${instance}`,
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    const body = webhookBodyOf(
      { labels: { alertname: 'DiskFull' }, receiver: { name: 'web.hook' }, alerts: [alert('a'), alert('b')] },
      '{}:{alertname="DiskFull"}',
      'http://am:9093',
    );
    expect(body).toMatchObject({
      receiver: 'web\\.hook',
      status: 'firing',
      groupKey: '{}:{alertname="DiskFull"}',
      commonLabels: { alertname: 'DiskFull' },
      commonAnnotations: { summary: 'full' },
      alerts: [
        { status: 'firing', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'fp-a' },
        { status: 'firing', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'fp-b' },
      ],
    });
  });
});
