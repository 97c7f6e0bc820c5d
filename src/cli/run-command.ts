import { DomainError } from '../domain/errors.js';
import type { CliIo, ExitCode } from './cli-io.js';

/**
 * One command's frame: options parsed (a usage error is exit 2 with the
 * usage), `--help` answered, then the command run; whatever it throws is
 * exit 2 with the message (and the candidates of an ambiguous name).
 */
export async function runCommand<Options>(
  command: { name: string; usage: string; args: string[]; io: CliIo },
  parse: (args: string[]) => Options | 'help',
  execute: (options: Options, io: CliIo) => Promise<ExitCode>,
): Promise<ExitCode> {
  const { name, usage, args, io } = command;
  let options: Options | 'help';
  try {
    options = parse(args);
  } catch (error) {
    io.stderr(`alertbook ${name}: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(`${usage}\n`);
    return 0;
  }
  try {
    return await execute(options, io);
  } catch (error) {
    const candidates = error instanceof DomainError ? (error.details?.candidates as unknown[] | undefined) : undefined;
    const listed = candidates ? `\n${candidates.map((c) => `  ${JSON.stringify(c)}`).join('\n')}` : '';
    io.stderr(`alertbook ${name}: ${(error as Error).message}${listed}\n`);
    return 2;
  }
}
