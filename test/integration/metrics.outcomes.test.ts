// The shipped self-alerts use increase() on the outcome counters: a series that is born at 1 shows no increase,
// so every outcome must exist at zero from the first scrape (issue #14).
import { describe, expect, it } from 'vitest';
import { Datasources } from '../../src/prometheus/datasources.js';
import { useTestApp } from '../support/app.js';

const app = useTestApp({
  datasources: new Datasources([
    { name: 'default', url: 'http://127.0.0.1:9' },
    { name: 'eu', url: 'http://127.0.0.1:9' },
  ]),
});

/** Every series of `name` in a scrape, as `{labels}` → value. */
async function seriesOf(name: string): Promise<Map<string, number>> {
  const text = await app().metrics.registry.getSingleMetricAsString(name);
  const lines = text.split('\n').filter((line) => line.startsWith(`${name}{`));
  return new Map(
    lines.map((line) => [
      line.slice(name.length, line.lastIndexOf(' ')),
      Number(line.slice(line.lastIndexOf(' ') + 1)),
    ]),
  );
}

describe('outcome counters before anything happened', () => {
  it('webhook notifications: every outcome at zero', async () => {
    const series = await seriesOf('alertbook_notifications_total');
    for (const outcome of ['accepted', 'duplicate', 'invalid', 'unauthorized', 'unavailable', 'aborted', 'error']) {
      expect(series.get(`{outcome="${outcome}"}`), outcome).toBe(0);
    }
  });

  it('datasource queries (API, snapshots): every configured datasource, kind and outcome at zero', async () => {
    const series = await seriesOf('alertbook_prometheus_queries_total');
    for (const datasource of ['default', 'eu']) {
      for (const kind of ['instant', 'range']) {
        for (const outcome of [
          'ok',
          'bad_data',
          'execution',
          'timeout',
          'canceled',
          'unavailable',
          'upstream',
          'network',
          'error',
        ]) {
          expect(
            series.get(`{datasource="${datasource}",kind="${kind}",outcome="${outcome}"}`),
            `${datasource} ${kind} ${outcome}`,
          ).toBe(0);
        }
      }
    }
  });

  it('live cells: every configured datasource and outcome at zero', async () => {
    const series = await seriesOf('alertbook_live_upstream_queries_total');
    for (const datasource of ['default', 'eu']) {
      for (const outcome of [
        'ok',
        'bad_data',
        'execution',
        'timeout',
        'canceled',
        'unavailable',
        'upstream',
        'network',
        'internal',
      ]) {
        expect(series.get(`{datasource="${datasource}",outcome="${outcome}"}`), `${datasource} ${outcome}`).toBe(0);
      }
    }
  });
});
