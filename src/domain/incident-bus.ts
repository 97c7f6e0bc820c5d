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

  subscribe(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: IncidentChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A broken viewer must never fail the write that already committed.
      }
    }
  }
}
