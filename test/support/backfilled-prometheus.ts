import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPeerOnAnyPort } from './peer-process.js';

const run = promisify(execFile);
const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';

/** A sample of synthetic history: unix seconds and value. */
export type HistorySample = [time: number, value: number];

export interface HistorySeries {
  metric: string;
  labels: Record<string, string>;
  samples: HistorySample[];
}

export interface BackfilledPrometheus {
  url: string;
  logs(): string;
  close(): Promise<void>;
}

/**
 * A real Prometheus on loopback whose storage holds the given history, written
 * with `promtool tsdb create-blocks-from openmetrics` (PROTOCOL-FACTS §6): no
 * scraping, no staleness markers, so a series that stops is seen for the
 * 5-minute lookback after its last sample, as by `promtool test rules` for `_`.
 */
export async function startBackfilledPrometheus(history: HistorySeries[]): Promise<BackfilledPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-backfill-'));
  try {
    const openMetrics = join(dir, 'history.om');
    await writeFile(openMetrics, toOpenMetrics(history));
    await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', openMetrics, join(dir, 'data')]);
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 1m\n');
    const peer = await startPeerOnAnyPort(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        '--web.listen-address=127.0.0.1:0',
      ],
      { readyPath: '/-/ready' },
    );
    return {
      url: peer.origin,
      logs: peer.logs,
      async close() {
        await peer.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** OpenMetrics text: one family per metric, each series' samples contiguous and in time order, `# EOF` last. */
function toOpenMetrics(history: HistorySeries[]): string {
  const lines: string[] = [];
  const metrics = [...new Set(history.map((series) => series.metric))];
  for (const metric of metrics) {
    lines.push(`# TYPE ${metric} gauge`);
    for (const series of history.filter((candidate) => candidate.metric === metric)) {
      const labels = Object.entries(series.labels)
        .map(([name, value]) => `${name}="${value}"`)
        .join(',');
      for (const [time, value] of series.samples) lines.push(`${metric}{${labels}} ${value} ${time}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
