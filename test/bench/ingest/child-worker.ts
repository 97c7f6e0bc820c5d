import { fork, type ChildProcess } from 'node:child_process';

/** What a worker script answers to each order. */
export type WorkerReport<R> = { ok: true; result: R } | { ok: false; message: string };

/**
 * A bench task in a child process of its own, so that each process' CPU and
 * RSS are its own. The child inherits this process' flags (tsx loads it too)
 * unless given `execArgv` (a bundled script needs none), takes orders one at a
 * time and is stopped by `stop()`. The script answers with `serveOrders` below.
 */
export class ChildWorker<O, R> {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(script: URL, options: { execArgv?: string[] } = {}) {
    this.child = fork(script, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...options });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** The child's process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** Runs one order; an abort tells the child to stop starting new work and rejects with the abort's reason. */
  run(order: O, signal?: AbortSignal): Promise<R> {
    return new Promise((resolve, reject) => {
      const onAbort = () => this.child.send('abort');
      const onExit = (code: number | null) => reject(new Error(`the bench worker exited (${code}) before answering`));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.child.once('exit', onExit);
      this.child.once('message', (report: WorkerReport<R>) => {
        signal?.removeEventListener('abort', onAbort);
        this.child.off('exit', onExit);
        if (report.ok) resolve(report.result);
        else reject(signal?.aborted ? signal.reason : new Error(report.message));
      });
      this.child.send(order as object);
    });
  }

  async stop(): Promise<void> {
    this.child.kill();
    await this.exited;
  }
}

/** The child's side: runs each order with `handle`, passing a signal the parent's abort trips. */
export function serveOrders<O, R>(handle: (order: O, signal: AbortSignal) => Promise<R>): void {
  const interrupt = new AbortController();
  // Ctrl-C reaches the whole process group; the parent decides, and says 'abort'.
  process.on('SIGINT', () => {});
  process.on('message', (message: O | 'abort') => {
    if (message === 'abort') {
      interrupt.abort(new Error('interrupted'));
      return;
    }
    handle(message, interrupt.signal).then(
      (result) => process.send!({ ok: true, result } satisfies WorkerReport<R>),
      (error: unknown) => process.send!({ ok: false, message: (error as Error).message } satisfies WorkerReport<R>),
    );
  });
}
