import { createLogger, errorFields, type Logger } from '../logger.js';

/**
 * Notifications of committed incident changes, for live viewers (the websocket
 * hub subscribes) and the outbox worker. Published only after the transaction
 * commits: by the writer, for a change made in this process, and by
 * src/db/replica-link.ts for one another replica made (the database NOTIFYs
 * those itself, so nothing here is sent on).
 */
export interface IncidentChange {
  incidentId: number;
  /** Timeline event types that were appended, e.g. `incident.opened`, `step.checked`. */
  types: string[];
}

export type IncidentListener = (change: IncidentChange) => void;

export class IncidentBus {
  private readonly listeners = new Set<IncidentListener>();
  private readonly logger: Pick<Logger, 'error'>;

  constructor(options: { logger?: Pick<Logger, 'error'> } = {}) {
    this.logger = options.logger ?? createLogger();
  }

  subscribe(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A committed change, here or on another replica: every listener, each failure logged. */
  publish(change: IncidentChange): void {
    for (const listener of this.listeners) {
      // A broken viewer must never fail the write that already committed; but it is a bug, so say where.
      try {
        listener(change);
      } catch (error) {
        this.logger.error('an incident change listener failed', { ...change, ...errorFields(error, { stack: true }) });
      }
    }
  }
}
