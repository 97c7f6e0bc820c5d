// `npm run bench:ingest`: webhook intake throughput, latency and memory; see test/bench/README.md.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { measureBareReceiver } from './ingest/bare-receiver-measurement.js';
import { measureBaselineApart } from './ingest/baseline-measurement.js';
import { parseOptions, USAGE, type BenchOptions } from './ingest/options.js';
import { renderReport, type BenchEnvironment } from './ingest/report.js';
import type { BenchResult } from './ingest/result.js';
import { medianRound, type Round, roundFigure, roundOrder } from './ingest/rounds.js';
import type { Scenario } from './ingest/scenario.js';
import { serverVersion, withEmbeddedServer, withScratchDatabase, type Backend } from './ingest/scratch-database.js';
import { judgeTargets } from './ingest/targets.js';
import { measureWebhook, type WebhookMeasurement } from './ingest/webhook-measurement.js';
import { createLogger } from '../../src/logger.js';
import { ensureWebBuilt } from '../../web/ensure-built.js';

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const interrupt = new AbortController();
  abortOnSignals(interrupt);
  try {
    const startedAt = new Date().toISOString();
    // As npm start does, so that the app under measurement serves a notebook (and does not warn that it has none).
    await ensureWebBuilt(createLogger({ silent: true }));
    const loadAtStart = loadavg()[0]!;
    const postgres = options.backends.includes('postgres') ? await serverVersion(options.serverUrl) : null;
    const results: BenchResult[] = [];
    for (const backend of options.backends) {
      for (const { alertCount, notifications } of options.plan) {
        for (const concurrency of options.concurrencies) {
          const scenario = {
            run: randomBytes(4).toString('hex'),
            alertCount,
            notifications,
            concurrency,
            signal: interrupt.signal,
          };
          results.push(await measure(backend, options, scenario));
        }
      }
    }
    const environment: BenchEnvironment = {
      startedAt,
      node: process.version,
      cpus: availableParallelism(),
      postgres,
      quick: options.quick,
      loadAverage: { start: loadAtStart, end: loadavg()[0]! },
      // The first row's app, once listening (real Postgres comes first).
      idleRssBytes: results[0]!.webhook.idleRssBytes,
    };
    const report = { environment, results, targets: judgeTargets(results) };
    process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : renderReport(report)}\n`);
    return 0;
  } catch (error) {
    if (interrupt.signal.aborted) {
      process.stderr.write('interrupted: servers closed, scratch databases dropped\n');
      return 130;
    }
    throw error;
  }
}

/**
 * One row, in `rounds`: the webhook on a fresh database, then (real Postgres) the baseline and the bare receiver,
 * each on another; odd rounds run them the other way round, and the median round stands for the row (rounds.ts).
 */
async function measure(
  backend: Backend,
  { serverUrl, profileDir, rounds: roundCount }: BenchOptions,
  scenario: Scenario,
): Promise<BenchResult> {
  const label = `${backend} · ${scenario.notifications} × ${scenario.alertCount} alerts · concurrency ${scenario.concurrency}`;
  const rounds: Round[] = [];
  for (let n = 0; n < roundCount; n++) {
    process.stderr.write(`${label}, round ${n + 1} of ${roundCount}:`);
    let webhook: WebhookMeasurement | undefined;
    let baseline: Round['baseline'] = null;
    let bareReceiver: Round['bareReceiver'] = null;
    const measureWebhookRound = async () => {
      webhook =
        backend === 'postgres'
          ? await withScratchDatabase(serverUrl, (target) => measureWebhook(target, scenario, profileDir))
          : await withEmbeddedServer((server) =>
              withScratchDatabase(server, (target) => measureWebhook(target, scenario, profileDir)),
            );
      process.stderr.write(` webhook ${Math.round(webhook.alertsPerSecond)} alerts/s`);
    };
    const measureBaselineRound = async () => {
      baseline = await withScratchDatabase(serverUrl, (url) => measureBaselineApart(url as string, scenario));
      process.stderr.write(` baseline ${Math.round(baseline.alertsPerSecond)}`);
    };
    const measureBareReceiverRound = async () => {
      bareReceiver = await withScratchDatabase(serverUrl, (url) => measureBareReceiver(url as string, scenario));
      process.stderr.write(` bare receiver ${Math.round(bareReceiver.alertsPerSecond)}`);
    };
    const others = backend === 'postgres' ? [measureBaselineRound, measureBareReceiverRound] : [];
    for (const step of roundOrder(n, { webhook: measureWebhookRound, others })) await step();
    process.stderr.write('\n');
    rounds.push({ webhook: webhook!, baseline, bareReceiver });
  }
  const { webhook, baseline, bareReceiver } = medianRound(rounds);
  return {
    backend,
    alertCount: scenario.alertCount,
    concurrency: scenario.concurrency,
    rounds: roundCount,
    webhook,
    baseline,
    ratio: baseline ? webhook.alertsPerSecond / baseline.alertsPerSecond : null,
    bareReceiver,
    receiverRatio: bareReceiver ? webhook.alertsPerSecond / bareReceiver.alertsPerSecond : null,
    receiverRatioByRound: bareReceiver ? rounds.map(roundFigure) : null,
  };
}

/**
 * Ctrl-C stops new notifications; the ones in flight finish, then every
 * server closes and every scratch database is dropped on the way out. A
 * second Ctrl-C quits at once.
 */
function abortOnSignals(interrupt: AbortController): void {
  // npm and tsx relay the Ctrl-C the terminal already sent to the whole
  // process group, so one press can arrive here more than once.
  const SAME_PRESS_MS = 1000;
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupt.signal.aborted) {
      firstAt = Date.now();
      process.stderr.write(
        `\n${signal}: finishing the notifications in flight, then cleaning up (again to quit at once)\n`,
      );
      interrupt.abort(new Error(`interrupted by ${signal}`));
    } else if (Date.now() - firstAt > SAME_PRESS_MS) {
      process.stderr.write(`\n${signal} again: quitting now, scratch databases alertbook_bench_* may remain\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

process.exitCode = await main();
