import type { CliIo, ExitCode } from './cli-io.js';

/**
 * A command's frame: arguments parsed (a usage error exits 2 with the usage), `--help` printed,
 * then the command run, any failure it throws printed as `alertbook <name>: <message>` with exit 2.
 */
export async function runCommand<Options>(
  name: string,
  usage: string,
  parse: () => Options | 'help',
  execute: (options: Options) => Promise<ExitCode>,
  io: CliIo,
): Promise<ExitCode> {
  let options: Options | 'help';
  try {
    options = parse();
  } catch (error) {
    io.stderr(`alertbook ${name}: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(`${usage}\n`);
    return 0;
  }
  try {
    return await execute(options);
  } catch (error) {
    io.stderr(`alertbook ${name}: ${(error as Error).message}\n`);
    return 2;
  }
}
