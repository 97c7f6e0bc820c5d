/**
 * The `alertbook` command line: `alertbook <command> [args]`. Runs without a
 * database, a server or any environment variable, so it fits in CI.
 */
import type { CliIo, ExitCode } from './cli-io.js';
import { runCheck } from './commands/check.js';
import { runReport } from './commands/report.js';
import { runCells } from './commands/run.js';
import { runTune } from './commands/tune.js';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<ExitCode>> = {
  check: runCheck,
  report: runReport,
  run: runCells,
  tune: runTune,
};

const USAGE = `usage: alertbook <command> [options]

commands:
  check   check runbooks and alerting rules (alertbook check --help)
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
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`alertbook: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  return command(args, io);
}

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
