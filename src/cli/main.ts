/**
 * The `alertbook` command line: `alertbook <command> [args]`. Runs without a
 * database, a server or any environment variable, so it fits in CI. bin.js
 * runs it from its bundle (cli-bundle.js) with the process's streams.
 */
import type { CliIo, ExitCode } from './cli-io.js';

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

// Loaded on demand: start-up is most of a `check`, which must not pay for `report`'s database.
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.js')).runCheck,
  new: async () => (await import('./commands/new.js')).runNew,
  report: async () => (await import('./commands/report.js')).runReport,
  run: async () => (await import('./commands/run.js')).runCells,
  tune: async () => (await import('./commands/tune.js')).runTune,
};

const USAGE = `usage: alertbook <command> [options]

commands:
  check   check runbooks and alerting rules (alertbook check --help)
  new     write a first runbook for an alert from its rule (alertbook new --help)
  report  the weekly alert-history report (alertbook report --help)
  run     run a runbook's script cells in Deno (alertbook run --help)
  tune    baseline, backtest and suggested threshold of an alerting rule (alertbook tune --help)`;

export async function main(argv: string[], io: CliIo): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (name === undefined) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`alertbook: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  return (await load())(args, io);
}
