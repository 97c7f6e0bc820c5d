import type { Logger } from '../logger.js';

/** Verification is due on day boundaries of `verifyAfter`; ten minutes late is close enough and costs nothing. */
export const VERIFY_EVERY_MS = 10 * 60_000;

/**
 * Runs `verifyDue()` every `everyMs` (one run at a time; a failure is logged
 * and the next tick tries again). Started by main, stopped on shutdown.
 */
export function startVerification(deps: {
  decisions: { verifyDue(): Promise<number> };
  logger: Pick<Logger, 'info' | 'error'>;
  everyMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = deps.decisions
      .verifyDue()
      .then((verified) => {
        if (verified > 0) deps.logger.info('tuning decisions verified', { verified });
      })
      .catch((error: unknown) => deps.logger.error('tuning verification failed', { error: String(error) }))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, deps.everyMs ?? VERIFY_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
