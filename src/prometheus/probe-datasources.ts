import type { Logger } from '../logger.js';
import type { DatasourceLookup } from './datasources.js';
import type { DatasourceConfig } from './types.js';

/** Long enough for a healthy Prometheus across a WAN, short enough that the start-up log comes at start. */
export const PROBE_DEADLINE_MS = 3_000;

export type ProbeOutcome =
  | { name: string; url: string; answered: true; ms: number }
  | {
      name: string;
      url: string;
      answered: false;
      error: string;
    };

/**
 * Asks every configured datasource `query=1` with a short deadline and logs
 * whether it answered: the first thing to read when cells stay empty. Never
 * throws; callers need not await it (start-up does not wait on a slow upstream).
 */
export async function probeDatasources(options: {
  configs: readonly DatasourceConfig[];
  datasources: DatasourceLookup;
  logger: Pick<Logger, 'info' | 'warn'>;
  deadlineMs?: number;
}): Promise<ProbeOutcome[]> {
  const deadlineMs = options.deadlineMs ?? PROBE_DEADLINE_MS;
  return Promise.all(
    options.configs.map(async ({ name, url }): Promise<ProbeOutcome> => {
      const shown = withoutSecrets(url);
      const signal = AbortSignal.timeout(deadlineMs);
      const started = performance.now();
      try {
        await options.datasources.get(name).instant({ query: '1', signal });
        const ms = Math.round(performance.now() - started);
        options.logger.info('datasource answered', { datasource: name, url: shown, ms });
        return { name, url: shown, answered: true, ms };
      } catch (error) {
        const message = signal.aborted ? `no answer within ${deadlineMs} ms` : (error as Error).message;
        options.logger.warn('datasource did not answer', { datasource: name, url: shown, error: message });
        return { name, url: shown, answered: false, error: message };
      }
    }),
  );
}

/** The URL as safe to log: no user:password, no query string (either may carry a token). */
function withoutSecrets(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
