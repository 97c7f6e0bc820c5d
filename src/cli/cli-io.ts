/** Where a command writes and where it runs: the process in production, buffers in tests and the benchmark. */
export interface CliIo {
  cwd: string;
  /** The environment granted `env` permissions read their values from (`alertbook run`). */
  env?: Record<string, string | undefined>;
  /** Results. */
  stdout(text: string): void;
  /** Diagnostics: usage errors, notes about what was skipped. */
  stderr(text: string): void;
}

/** A command's outcome as a process exit code: 0 clean, 1 problems found, 2 could not run. */
export type ExitCode = 0 | 1 | 2;
