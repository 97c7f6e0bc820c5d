import type { IncidentChange } from '../domain/incident-bus.js';
import type { LiveMetrics } from './live-metrics.js';
import type { ServerFrame, StatusFrame } from './server-messages.js';

/** The transport under a client: the `ws` socket in production, a fake in unit tests. */
export interface LiveSocket {
  send(text: string): void;
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  /** A websocket-level ping; the transport reports the pong to the hub. */
  ping(): void;
  /** Drops the connection without a closing handshake (a peer that stopped answering). */
  terminate(): void;
  /** Runs `write`, whose send() calls may then leave as one network write; without it they leave one by one. */
  batch?(write: () => void): void;
}

/**
 * One connected websocket: what it subscribed to and watches, and its output
 * under backpressure. Nothing is ever queued here: when the socket is backed up
 * a frame is not written and the client is marked behind; once it drains it is
 * sent the latest state (the hub re-syncs its subscriptions, and the newest
 * status and incident changes wait here, at most one per incident).
 */
export class LiveClient<Subscription> {
  readonly subscriptions = new Map<string, Subscription>();
  watching: 'all' | ReadonlySet<number> = new Set();
  /** When a frame was first held back, or null while the client keeps up. */
  blockedSince: number | null = null;
  /** Cleared by each heartbeat ping, set by the pong. */
  answeredPing = true;
  private pendingStatus: StatusFrame | null = null;
  private readonly pendingIncidents = new Map<number, Set<string>>();

  constructor(
    readonly socket: LiveSocket,
    readonly actor: string,
    private readonly output: {
      highWaterBytes: number;
      metrics: LiveMetrics;
      now(): number;
      /** The first frame held back: the hub starts watching for the socket to drain. */
      onBlocked(client: LiveClient<Subscription>): void;
    },
  ) {}

  /** Writes the frame, or counts it dropped and marks the client behind; true when written. */
  trySend(type: ServerFrame['type'], text: string): boolean {
    if (this.socket.bufferedAmount > this.output.highWaterBytes) {
      if (this.blockedSince === null) {
        this.blockedSince = this.output.now();
        this.output.onBlocked(this);
      }
      this.output.metrics.framesDropped.inc({ type });
      return false;
    }
    this.socket.send(text);
    this.output.metrics.framesSent.inc({ type });
    return true;
  }

  sendStatus(status: StatusFrame): void {
    this.pendingStatus = this.trySend('status', JSON.stringify(status)) ? null : status;
  }

  watches(incidentId: number): boolean {
    return this.watching === 'all' || this.watching.has(incidentId);
  }

  sendIncident(change: IncidentChange): void {
    const pending = this.pendingIncidents.get(change.incidentId);
    const types = pending ? [...new Set([...pending, ...change.types])] : change.types;
    if (this.trySend('incident', JSON.stringify({ type: 'incident', incidentId: change.incidentId, types }))) {
      this.pendingIncidents.delete(change.incidentId);
    } else {
      this.pendingIncidents.set(change.incidentId, new Set(types));
    }
  }

  /** After draining: the frames held back, newest state only. */
  flushPending(): void {
    if (this.pendingStatus) this.sendStatus(this.pendingStatus);
    for (const [incidentId] of this.pendingIncidents) {
      if (this.blockedSince !== null) return;
      this.sendIncident({ incidentId, types: [] });
    }
  }
}
