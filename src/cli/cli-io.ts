/** Where a command writes and where it runs: the process in production, buffers in tests and the benchmark. */
export interface CliIo {
  cwd: string;
  /** Results. */
  stdout(text: string): void;
  /** Diagnostics: usage errors, notes about what was skipped. */
  stderr(text: string): void;
  /** The environment, read only when a command runs: a database or a token (`report`), granted `env` permissions (`run`). */
  env?: Record<string, string | undefined>;
  /** Where a command may keep what it derived from files between runs (see parse-cache.ts); none in tests. */
  cacheDir?: string;
}

/** A command's outcome as a process exit code: 0 clean, 1 problems found, 2 could not run. */
export type ExitCode = 0 | 1 | 2;
