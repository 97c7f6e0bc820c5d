// The measured half of `npm run bench:tune`, in a process of its own so that its peak RSS is Alertbook's alone:
// the baseline (with its backtested suggestion) and a backtest of one rule over the 7 days of the Prometheus at
// argv[2]. Every request to Prometheus is timed from sending to the last byte of its answer; the union of those
// intervals is the time Prometheus spent answering, the rest of the wall time is Alertbook's own.
// Prints one JSON line.
import { backtestRule } from '../../src/domain/tuning/backtest-rule.js';
import { baselineRule } from '../../src/domain/tuning/baseline-rule.js';
import { knownRulesOfFile } from '../../src/domain/tuning/known-rules.js';
import { NO_RECORDED_INCIDENTS } from '../../src/domain/tuning/recorded-incidents.js';
import { Datasources } from '../../src/prometheus/datasources.js';

const [url, now, ruleFile] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]!];
const rule = knownRulesOfFile({ path: 'bench.yaml', content: ruleFile })[0]!;

const answering: [number, number][] = [];
let bytes = 0;
const timedFetch: typeof fetch = async (input, init) => {
  const sent = performance.now();
  const response = await fetch(input, init);
  const body = await response.text();
  answering.push([sent, performance.now()]);
  bytes += body.length;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
const evaluation = {
  rule,
  // 100 series: above the client's default cap of 100 kept per answer would be truncated.
  datasources: new Datasources([{ name: 'default', url }], { fetch: timedFetch, maxSeries: 1_000 }),
  incidents: NO_RECORDED_INCIDENTS,
  now,
  defaultIntervalSeconds: 60,
};

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const baseline = await baselineRule({ ...evaluation, body: { window: '7d' } });
const backtest = await backtestRule({ ...evaluation, body: { window: '7d', candidates: [{ threshold: 0.7 }] } });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);

process.stdout.write(
  `${JSON.stringify({
    wallMs,
    prometheusMs: unionLength(answering),
    requests: answering.length,
    answerMb: bytes / 1024 / 1024,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / 1024 / 1024,
    samples: baseline.overall.samples,
    series: baseline.series.length,
    truncated: baseline.truncated,
    suggestion: baseline.suggestion.backtest?.summary ?? null,
    backtest: backtest.candidates[0]!.summary,
  })}\n`,
);

/** Milliseconds during which at least one request was waiting for Prometheus. */
function unionLength(intervals: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (to > reach) total += to - Math.max(from, reach);
    reach = Math.max(reach, to);
  }
  return total;
}
