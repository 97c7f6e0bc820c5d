import { createLogger, errorFields, type Logger } from '../logger.js';

/**
 * In-process notifications of committed incident changes, for live viewers
 * (the websocket hub subscribes). Published only after the transaction commits.
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

  publish(change: IncidentChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A broken viewer must never fail the write that already committed; but it is a bug, so say where.
        this.logger.error('an incident change listener failed', { ...change, ...errorFields(error, { stack: true }) });
      }
    }
  }
}
