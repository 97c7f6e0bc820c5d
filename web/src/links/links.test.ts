import { describe, expect, it } from 'vitest';
import { prometheusBase, prometheusGraphUrl } from './prometheus-url.js';
import { silenceUrl } from './silence-url.js';

describe('silenceUrl', () => {
  it("pre-fills Alertmanager's new-silence form with the labels as matchers", () => {
    const url = silenceUrl('http://alertmanager:9093/', { alertname: 'DiskFull', instance: 'db-1:9100' });
    expect(url).toBe(
      `http://alertmanager:9093/#/silences/new?filter=${encodeURIComponent('{alertname="DiskFull", instance="db-1:9100"}')}`,
    );
  });

  it('gives no link without an http(s) Alertmanager URL or without labels', () => {
    expect(silenceUrl(null, { a: 'b' })).toBeNull();
    expect(silenceUrl('javascript:alert(1)', { a: 'b' })).toBeNull();
    expect(silenceUrl('http://am:9093', {})).toBeNull();
  });
});

describe('prometheusBase', () => {
  it("reads Prometheus' address from an alert's generatorURL, path prefix kept", () => {
    expect(prometheusBase('http://prometheus:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1')).toBe('http://prometheus:9090');
    expect(prometheusBase('https://example.com/prometheus/graph?g0.expr=up')).toBe('https://example.com/prometheus');
  });

  it('ignores relative, empty and non-http generator URLs', () => {
    expect(prometheusBase('/metrics/viewer/graph?g0.expr=up')).toBeNull();
    expect(prometheusBase('')).toBeNull();
    expect(prometheusBase('javascript:alert(1)//graph')).toBeNull();
  });
});

describe('prometheusGraphUrl', () => {
  it('opens a range cell as a graph over its range, an instant cell as a table', () => {
    const graph = new URL(
      prometheusGraphUrl('http://prom:9090', 'sum(rate(x[5m]))', { rangeSeconds: 3600, instant: false }),
    );
    expect(graph.pathname).toBe('/graph');
    expect(Object.fromEntries(graph.searchParams)).toEqual({
      'g0.expr': 'sum(rate(x[5m]))',
      'g0.tab': '0',
      'g0.range_input': '1h',
    });
    const table = new URL(prometheusGraphUrl('http://prom:9090', 'up', { rangeSeconds: 3600, instant: true }));
    expect(Object.fromEntries(table.searchParams)).toEqual({ 'g0.expr': 'up', 'g0.tab': '1' });
  });
});
