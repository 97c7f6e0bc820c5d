import type { BenchResult } from './result.js';

export interface TargetVerdict {
  target: string;
  measured: string;
  /** null when the run has no real-Postgres figure to judge. */
  pass: boolean | null;
}

/**
 * Issue #19's restated intake targets. Against the bare receiver (node:http + the insert, same load, same run) on
 * every row; against the raw multi-row insert only from 100 alerts per notification, since for 1–10-alert
 * notifications the HTTP hop alone costs as much as the insert and no HTTP receiver reaches 0.5 there.
 */
export const RECEIVER_RATIO_TARGET = 0.6;
export const RATIO_TARGET = 0.5;
export const RATIO_MIN_ALERTS = 100;

/**
 * A ratio to two decimals, rounded down, so that what is printed never contradicts its verdict: 0.598 is "0.59", a
 * MISS of 0.6, not "0.60".
 */
export const ratioText = (ratio: number) => (Math.floor(ratio * 100 + 1e-9) / 100).toFixed(2);

/** Whether a row's ratio to the raw insert is judged against RATIO_TARGET (else it is printed only). */
export const judgesRawRatio = (r: Pick<BenchResult, 'alertCount'>) => r.alertCount >= RATIO_MIN_ALERTS;

const MiB = 1024 * 1024;

/** The targets, judged on the real-Postgres figures only (printed, never asserted). */
export function judgeTargets(results: BenchResult[]): TargetVerdict[] {
  const postgres = results.filter((r) => r.backend === 'postgres');
  const find = (alertCount: number, concurrency: number) =>
    postgres.find((r) => r.alertCount === alertCount && r.concurrency === concurrency);
  const largest = find(10_000, 1);
  const storm = find(10, 8);
  const rawRatios = postgres.filter((r) => r.ratio !== null && judgesRawRatio(r));
  const receiverRatios = postgres.filter((r) => r.receiverRatio !== null);
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
    worstOf(
      `alerts/s ratio to the bare receiver ≥ ${RECEIVER_RATIO_TARGET} (every row)`,
      receiverRatios,
      (r) => r.receiverRatio!,
      RECEIVER_RATIO_TARGET,
    ),
    worstOf(
      `alerts/s ratio to the raw insert ≥ ${RATIO_TARGET} (rows of ≥ ${RATIO_MIN_ALERTS} alerts)`,
      rawRatios,
      (r) => r.ratio!,
      RATIO_TARGET,
    ),
    verdict('peak RSS < 300 MB (highest of any row; the app process)', peakRss, (r) => {
      const mb = r.webhook.peakRssBytes / MiB;
      return [`${Math.round(mb)} MB (${describe(r)})`, mb < 300];
    }),
  ];
}

/** The worst row of a ratio judged on several rows, and how many rows pass. */
function worstOf(
  target: string,
  rows: BenchResult[],
  ratio: (r: BenchResult) => number,
  threshold: number,
): TargetVerdict {
  const worst = rows.reduce<BenchResult | undefined>((w, r) => (!w || ratio(r) < ratio(w) ? r : w), undefined);
  return verdict(target, worst, (r) => {
    const passing = rows.filter((x) => ratio(x) >= threshold).length;
    return [
      `worst ${ratioText(ratio(r))} (${describe(r)}); ${passing}/${rows.length} rows pass`,
      passing === rows.length,
    ];
  });
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
