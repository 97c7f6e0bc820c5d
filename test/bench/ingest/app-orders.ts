import type { DatabaseTarget } from '../../../src/db/client.js';
import type { ProcessUsage } from './process-usage.js';

/** What the benchmark asks of the app's process (app-process.ts), one order at a time. */
export type AppOrder =
  /** Opens the (migrated) scratch database and listens on loopback. */
  | { kind: 'start'; target: DatabaseTarget }
  /** Starts counting CPU time and watching RSS. */
  | { kind: 'track' }
  /** Stops counting: the figures since `track`. */
  | { kind: 'usage' }
  /** Rows in the alerts table, so the figures are checked against what was stored. */
  | { kind: 'count alerts' };

export interface AppAnswers {
  start: { origin: string; idleRssBytes: number };
  track: null;
  usage: ProcessUsage;
  'count alerts': number;
}

export const WEBHOOK_TOKEN = 'bench-webhook-token';
