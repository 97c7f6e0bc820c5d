import { createLogger, errorFields, type Logger } from '../logger.js';

/**
 * Notifications of committed incident changes, for live viewers (the websocket
 * hub subscribes). Published only after the transaction commits. Changes made
 * here also go to the relays (another replica's bus, see src/db/replica-link.ts);
 * changes another replica made come in through `deliver()`.
 */
export interface IncidentChange {
  incidentId: number;
  /** Timeline event types that were appended, e.g. `incident.opened`, `step.checked`. */
  types: string[];
}

export type IncidentListener = (change: IncidentChange) => void;

export class IncidentBus {
  private readonly listeners = new Set<IncidentListener>();
  private readonly relays = new Set<IncidentListener>();
  private readonly logger: Pick<Logger, 'error'>;

  constructor(options: { logger?: Pick<Logger, 'error'> } = {}) {
    this.logger = options.logger ?? createLogger();
  }

  subscribe(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends every change published here on (and only those: a relay never sees what `deliver()` brought in). */
  relay(relay: IncidentListener): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  /** A change committed by this process: its listeners, then the relays. */
  publish(change: IncidentChange): void {
    this.deliver(change);
    for (const relay of this.relays) this.call(relay, change, 'an incident change relay failed');
  }

  /** A change committed elsewhere (another replica): this process's listeners only. */
  deliver(change: IncidentChange): void {
    // A broken viewer must never fail the write that already committed; but it is a bug, so say where.
    for (const listener of this.listeners) this.call(listener, change, 'an incident change listener failed');
  }

  private call(listener: IncidentListener, change: IncidentChange, failure: string): void {
    try {
      listener(change);
    } catch (error) {
      this.logger.error(failure, { ...change, ...errorFields(error, { stack: true }) });
    }
  }
}
