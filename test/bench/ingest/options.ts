import { parseArgs } from 'node:util';
import type { Backend } from './scratch-database.js';

export interface BenchOptions {
  /** Real Postgres first: the rows the targets are judged on. */
  backends: Backend[];
  /** Notifications sent per size, at each concurrency. */
  plan: { alertCount: number; notifications: number }[];
  concurrencies: number[];
  /** Times each row is measured, the webhook and the bare receiver alternating (rounds.ts). */
  rounds: number;
  quick: boolean;
  serverUrl: string;
  /** Where each app process writes a V8 CPU profile, or null for none. */
  profileDir: string | null;
  json: boolean;
  help: boolean;
}

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

// Notifications per size. Full: a few minutes for both backends on 2 quiet
// cores; 8 of the largest so that concurrency 8 is a real storm; small ones by
// the thousand, so that each row runs for seconds (at 500, the bare receiver's
// 1-alert row was over in a third of a second and its figure swung by half
// between runs). Quick: a smoke run.
const PLAN = [
  { alertCount: 1, full: 4000, quick: 50 },
  { alertCount: 10, full: 2000, quick: 50 },
  { alertCount: 100, full: 100, quick: 10 },
  { alertCount: 1000, full: 20, quick: 2 },
  { alertCount: 10_000, full: 8, quick: 1 },
];
const BACKENDS: Backend[] = ['postgres', 'embedded'];

const CONCURRENCIES = [1, 8];
// Three: a median that one slow minute of the VM cannot move. A quick run is a smoke run: one.
const ROUNDS = { full: 3, quick: 1, most: 9 };

export const USAGE = `usage: npm run bench:ingest -- [--only embedded|postgres] [--sizes N,…] [--concurrency N,…] [--rounds N] [--quick] [--json]

  --only         run one backend (default: the Postgres server, then the embedded one of npm start)
  --sizes        run these notification sizes only, in alerts (of ${PLAN.map((p) => p.alertCount).join(', ')})
  --concurrency  run these concurrencies only (of ${CONCURRENCIES.join(', ')})
  --rounds       measure each row N times, the webhook and the bare receiver alternating, and report the round
                 of the median ratio (default ${ROUNDS.full}; ${ROUNDS.quick} with --quick; at most ${ROUNDS.most})
  --quick        a few notifications per size, for a smoke run (figures are noisy)
  --json         print the results as JSON on stdout instead of tables

  BENCH_DATABASE_URL  server on which scratch databases are created and dropped
                      (default ${DEFAULT_SERVER_URL})
  BENCH_PROFILE_DIR   each row's app process writes a CPU profile (.cpuprofile) there`;

/** Reads the command line; throws naming the offending flag. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      sizes: { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.only !== undefined && !BACKENDS.includes(values.only as Backend)) {
    throw new Error(`--only: expected "embedded" or "postgres", got "${values.only}"`);
  }
  const sizes = subset(
    '--sizes',
    values.sizes,
    PLAN.map((p) => p.alertCount),
  );
  return {
    backends: values.only === undefined ? BACKENDS : [values.only as Backend],
    plan: PLAN.filter((p) => sizes.includes(p.alertCount)).map((p) => ({
      alertCount: p.alertCount,
      notifications: values.quick ? p.quick : p.full,
    })),
    concurrencies: subset('--concurrency', values.concurrency, CONCURRENCIES),
    rounds: values.rounds === undefined ? (values.quick ? ROUNDS.quick : ROUNDS.full) : roundsOf(values.rounds),
    quick: values.quick,
    serverUrl: env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL,
    profileDir: env.BENCH_PROFILE_DIR || null,
    json: values.json,
    help: values.help,
  };
}

/** The comma-separated numbers of `flag`, each one of `allowed`; all of `allowed` when the flag is absent. */
function subset(flag: string, value: string | undefined, allowed: number[]): number[] {
  if (value === undefined) return allowed;
  return value.split(',').map((item) => {
    const n = Number(item.trim());
    if (!allowed.includes(n)) throw new Error(`${flag}: expected some of ${allowed.join(', ')}, got "${item}"`);
    return n;
  });
}

function roundsOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > ROUNDS.most) {
    throw new Error(`--rounds: expected a whole number from 1 to ${ROUNDS.most}, got "${value}"`);
  }
  return n;
}
