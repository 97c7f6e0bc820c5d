import { authMode, credential } from '../api/identity.js';
import { createStore } from '../hooks/store.js';
import { reconnectDelay } from './reconnect-delay.js';
import {
  SUBPROTOCOL,
  type CellRequest,
  type ClientMessage,
  type DataFrame,
  type ErrorFrame,
  type IncidentFrame,
  type ServerFrame,
  type UpstreamHealth,
} from './protocol.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface CellListener {
  data(frame: DataFrame): void;
  error(frame: ErrorFrame): void;
}

type Watch = { incidents: 'all' | ReadonlySet<number>; onChange(frame: IncidentFrame): void };

/**
 * The page's one websocket to /api/v1/live, shared by every live cell and
 * watcher on the page. It reconnects with backoff and, once back, subscribes
 * everything again and tells the pages to refetch what they may have missed.
 */
export class LiveConnection {
  readonly state = createStore<ConnectionState>('connecting');
  readonly upstream = createStore<UpstreamHealth>('ok');
  private socket: WebSocket | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private everConnected = false;
  private nextSub = 1;
  private readonly subscriptions = new Map<string, { request: CellRequest; listener: CellListener }>();
  private readonly watches = new Set<Watch>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly url: string) {}

  /** Starts a cell subscription; returns the unsubscribe. */
  subscribe(request: CellRequest, listener: CellListener): () => void {
    const sub = `s${this.nextSub++}`;
    this.subscriptions.set(sub, { request, listener });
    this.send({ type: 'subscribe', sub, ...request });
    return () => {
      this.subscriptions.delete(sub);
      this.send({ type: 'unsubscribe', sub });
    };
  }

  /** Calls `onChange` when one of the incidents (or any) gets timeline events. */
  watch(incidents: 'all' | number[], onChange: (frame: IncidentFrame) => void): () => void {
    const watch: Watch = { incidents: incidents === 'all' ? 'all' : new Set(incidents), onChange };
    this.watches.add(watch);
    this.sendWatch();
    return () => {
      this.watches.delete(watch);
      this.sendWatch();
    };
  }

  /** Called after the connection came back: frames sent meanwhile were lost. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Opens the socket now rather than at the first subscription, so the page shows whether it is live. */
  start(): void {
    if (!this.socket && this.reconnectTimer === null) this.connect();
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
    // Otherwise everything is sent once the socket opens.
    else this.start();
  }

  private sendWatch(): void {
    const all = [...this.watches].some((w) => w.incidents === 'all');
    const ids = new Set([...this.watches].flatMap((w) => (w.incidents === 'all' ? [] : [...w.incidents])));
    this.send({ type: 'watch', incidents: all ? 'all' : [...ids] });
  }

  private connect(): void {
    // Browsers cannot set headers on a websocket: a token rides as a second subprotocol.
    const token = authMode === 'token' ? credential.get() : null;
    const socket = new WebSocket(this.url, token ? [SUBPROTOCOL, `bearer.${token}`] : [SUBPROTOCOL]);
    this.socket = socket;
    socket.onopen = () => {
      for (const [sub, { request }] of this.subscriptions)
        socket.send(JSON.stringify({ type: 'subscribe', sub, ...request }));
      this.sendWatch();
    };
    socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)) as ServerFrame);
    socket.onclose = () => {
      this.socket = null;
      this.state.set(this.everConnected ? 'reconnecting' : 'connecting');
      this.reconnectTimer = setTimeout(
        () => {
          this.reconnectTimer = null;
          this.connect();
        },
        reconnectDelay(this.attempt++),
      );
    };
  }

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        this.attempt = 0;
        this.state.set('connected');
        if (this.everConnected) for (const listener of this.reconnectListeners) listener();
        this.everConnected = true;
        return;
      case 'status':
        this.upstream.set(frame.upstream);
        return;
      case 'data':
        this.subscriptions.get(frame.sub)?.listener.data(frame);
        return;
      case 'error':
        if (frame.sub !== undefined) this.subscriptions.get(frame.sub)?.listener.error(frame);
        else console.warn('live: server refused a message', frame);
        return;
      case 'incident':
        for (const watch of this.watches) {
          if (watch.incidents === 'all' || watch.incidents.has(frame.incidentId)) watch.onChange(frame);
        }
        return;
      case 'pong':
        return;
    }
  }
}

const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
export const live = new LiveConnection(`${scheme}://${window.location.host}/api/v1/live`);
