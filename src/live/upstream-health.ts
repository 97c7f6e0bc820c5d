import type { StatusFrame, UpstreamHealth } from './server-messages.js';

/**
 * How the datasources are doing, judged from the latest request of every
 * live query: a datasource is `down` when all its queries fail in a way a
 * retry may fix (unreachable, 5xx, timeout), `degraded` when some do, `ok`
 * otherwise. A query Prometheus rejects (bad PromQL) says nothing against it.
 */
export class UpstreamHealthBoard {
  /** Per datasource: whether each live query's latest request failed, and how many did. */
  private readonly datasources = new Map<string, { failing: Map<string, boolean>; failures: number }>();
  private last = JSON.stringify(this.status());

  /** Records a query's latest outcome; true when the status changed. */
  record(datasource: string, key: string, failing: boolean): boolean {
    let entry = this.datasources.get(datasource);
    if (!entry) {
      entry = { failing: new Map(), failures: 0 };
      this.datasources.set(datasource, entry);
    }
    entry.failures += Number(failing) - Number(entry.failing.get(key) ?? false);
    entry.failing.set(key, failing);
    return this.changed();
  }

  /** The query is no longer live; true when the status changed. */
  forget(datasource: string, key: string): boolean {
    const entry = this.datasources.get(datasource);
    if (entry?.failing.has(key)) {
      entry.failures -= Number(entry.failing.get(key));
      entry.failing.delete(key);
      if (entry.failing.size === 0) this.datasources.delete(datasource);
    }
    return this.changed();
  }

  status(): StatusFrame {
    const datasources: Record<string, UpstreamHealth> = {};
    let healthy = 0;
    for (const [name, { failing, failures }] of this.datasources) {
      if (failures === 0) healthy += 1;
      else datasources[name] = failures === failing.size ? 'down' : 'degraded';
    }
    const ailing = Object.values(datasources);
    const upstream: UpstreamHealth =
      ailing.length === 0 ? 'ok' : healthy === 0 && ailing.every((s) => s === 'down') ? 'down' : 'degraded';
    return { type: 'status', upstream, datasources };
  }

  private changed(): boolean {
    const now = JSON.stringify(this.status());
    if (now === this.last) return false;
    this.last = now;
    return true;
  }
}
