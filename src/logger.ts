/** Structured one-line JSON logs on stderr; quiet in tests unless asked. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { silent?: boolean } = {}): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (options.silent) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** An error as log fields; `stack` for errors nobody expected (a bug's only trace), not for routine ones. */
export function errorFields(error: unknown, options: { stack?: boolean } = {}): Record<string, unknown> {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return {
      error: error.message,
      ...(cause instanceof Error ? { cause: cause.message } : {}),
      ...(options.stack && error.stack ? { stack: error.stack } : {}),
    };
  }
  return { error: String(error) };
}
