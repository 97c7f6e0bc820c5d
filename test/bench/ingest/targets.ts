import type { BenchResult } from './result.js';

export interface TargetVerdict {
  target: string;
  measured: string;
  /** null when the run has no real-Postgres figure to judge. */
  pass: boolean | null;
}

export const RATIO_TARGET = 0.5;
const MiB = 1024 * 1024;

/** The targets, judged on the real-Postgres figures only (printed, never asserted). */
export function judgeTargets(results: BenchResult[]): TargetVerdict[] {
  const postgres = results.filter((r) => r.backend === 'postgres');
  const find = (alertCount: number, concurrency: number) =>
    postgres.find((r) => r.alertCount === alertCount && r.concurrency === concurrency);
  const largest = find(10_000, 1);
  const storm = find(10, 8);
  const ratios = postgres.filter((r) => r.ratio !== null);
  const worstRatio = ratios.reduce<BenchResult | undefined>(
    (worst, r) => (!worst || r.ratio! < worst.ratio! ? r : worst),
    undefined,
  );
  const peakRss = postgres.reduce<BenchResult | undefined>(
    (top, r) => (!top || r.webhook.peakRssBytes > top.webhook.peakRssBytes ? r : top),
    undefined,
  );

  return [
    verdict('a 10,000-alert notification committed in < 1 s (slowest of the sequential ones)', largest, (r) => {
      const ms = r.webhook.latencyMs.max;
      return [`${(ms / 1000).toFixed(2)} s`, ms < 1000];
    }),
    verdict('≥ 500 notifications/s of 10 alerts at concurrency 8', storm, (r) => {
      const rate = r.webhook.notificationsPerSecond;
      return [`${Math.round(rate)}/s`, rate >= 500];
    }),
    verdict('… with p99 < 50 ms', storm, (r) => {
      const ms = r.webhook.latencyMs.p99;
      return [`${ms.toFixed(1)} ms`, ms < 50];
    }),
    verdict(`alerts/s ratio to the bare-insert baseline ≥ ${RATIO_TARGET} (every row)`, worstRatio, (r) => {
      const passing = ratios.filter((x) => x.ratio! >= RATIO_TARGET).length;
      // What a receiver doing nothing but HTTP and the insert reached on the same row: how much of the miss is HTTP's.
      const ceiling =
        r.bareReceiver && r.baseline
          ? `; a bare receiver ${(r.bareReceiver.alertsPerSecond / r.baseline.alertsPerSecond).toFixed(2)} there`
          : '';
      return [
        `worst ${r.ratio!.toFixed(2)} (${describe(r)})${ceiling}; ${passing}/${ratios.length} rows pass`,
        passing === ratios.length,
      ];
    }),
    verdict('peak RSS < 300 MB (highest of any row; the app process)', peakRss, (r) => {
      const mb = r.webhook.peakRssBytes / MiB;
      return [`${Math.round(mb)} MB (${describe(r)})`, mb < 300];
    }),
  ];
}

function verdict(
  target: string,
  result: BenchResult | undefined,
  judge: (r: BenchResult) => [string, boolean],
): TargetVerdict {
  if (!result) return { target, measured: 'not measured (no real-Postgres run)', pass: null };
  const [measured, pass] = judge(result);
  return { target, measured, pass };
}

const describe = (r: BenchResult) =>
  `${r.alertCount.toLocaleString('en-US')}-alert notifications, concurrency ${r.concurrency}`;
