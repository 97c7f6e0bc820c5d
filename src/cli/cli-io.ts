/** Where a command writes and where it runs: the process in production, buffers in tests and the benchmark. */
export interface CliIo {
  cwd: string;
  /** Results. */
  stdout(text: string): void;
  /** Diagnostics: usage errors, notes about what was skipped. */
  stderr(text: string): void;
  /** The environment, for commands that need a database or a token (`report`); read only when the command runs. */
  env?: Record<string, string | undefined>;
}

/** A command's outcome as a process exit code: 0 clean, 1 problems found, 2 could not run. */
export type ExitCode = 0 | 1 | 2;
