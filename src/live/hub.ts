import type { Registry } from 'prom-client';
import type { IncidentBus, IncidentChange } from '../domain/incident-bus.js';
import { createLogger, errorFields, type Logger } from '../logger.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { CellFeed } from './cell-feed.js';
import { MESSAGE_LIMITS, parseClientMessage, type MessageProblem, type SubscribeMessage } from './client-messages.js';
import { LiveClient, type LiveSocket } from './live-client.js';
import { errorForClient } from './live-error.js';
import { DEFAULT_LIMITS, type LiveLimits } from './live-limits.js';
import { createLiveMetrics, type LiveMetrics } from './live-metrics.js';
import { dataFrameText, PROTOCOL_VERSION, type ErrorFrame, type HelloFrame } from './server-messages.js';
import {
  subscriptionTarget,
  type LiveDatasources,
  type ResolveIncidentCell,
  type SubscriptionTarget,
} from './subscription-target.js';
import { systemTimers, type TimerHandle, type Timers } from './timers.js';
import { UpstreamHealthBoard } from './upstream-health.js';
import { upstreamKey } from './upstream-query.js';

/** Close codes the hub uses (4000–4999 are the application's own). */
export const CLOSE_CODES = { goingAway: 1001, tryAgainLater: 1013, slowConsumer: 4008 } as const;

/** How often a backed-up socket is checked for having drained. */
const DRAIN_CHECK_MS = 100;
/** The longest an answer waits for the other requests in flight before it is fanned out anyway. */
const FAN_OUT_WAIT_MS = 25;
/** Timeline events after which an incident's cells may query something else (the window or the runbook changed). */
const RETARGETING_EVENTS = new Set(['incident.resolved', 'runbook.linked']);

export interface LiveHubOptions {
  datasources: LiveDatasources;
  /** Without it, incident cells are answered with `not_found`. */
  resolveIncidentCell?: ResolveIncidentCell;
  /** Forwards incident timeline changes to the clients that watch them. */
  bus?: IncidentBus;
  registry: Registry;
  logger?: Logger;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffPolicy;
  limits?: Partial<LiveLimits>;
}

/** What the transport reports about one connection. */
export interface LiveConnection {
  /** A websocket message: text, or binary (refused). */
  receive(data: string | object): void;
  pong(): void;
  closed(): void;
}

interface Subscription {
  client: LiveClient<Subscription>;
  sub: string;
  /** Kept to resolve an incident cell again when the incident resolves. */
  request: SubscribeMessage;
  refreshMs: number;
  /** Null while the cell is being resolved. */
  feed: CellFeed<Subscription> | null;
  seenDataVersion: number;
  seenFailureVersion: number;
}

type Client = LiveClient<Subscription>;

/**
 * The live cells hub: clients subscribe to cells, subscriptions asking the same
 * upstream query share one CellFeed (one request per tick, whatever the number
 * of viewers), each answer is fanned out as a delta to viewers that have the
 * previous one, and slow sockets get the latest state instead of a queue.
 */
export class LiveHub {
  readonly limits: LiveLimits;
  private readonly clients = new Set<Client>();
  private readonly feeds = new Map<string, CellFeed<Subscription>>();
  private readonly blocked = new Set<Client>();
  private readonly health = new UpstreamHealthBoard();
  private readonly metrics: LiveMetrics;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly stopWatchingBus: () => void;
  private drainTimer: TimerHandle | null = null;
  /** Feeds with news not yet fanned out; see fanOut(). */
  private readonly changedFeeds = new Set<CellFeed<Subscription>>();
  private fanOutTimer: { handle: TimerHandle; due: number } | null = null;
  private requestsInFlight = 0;
  private heartbeatTimer: TimerHandle;

  constructor(private readonly options: LiveHubOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? createLogger();
    this.metrics = createLiveMetrics(
      options.registry,
      {
        clients: () => this.clients.size,
        subscriptions: () => [...this.clients].reduce((n, c) => n + c.subscriptions.size, 0),
        upstreamKeys: () => this.feeds.size,
      },
      options.datasources.names?.(),
    );
    this.stopWatchingBus = options.bus?.subscribe((change) => this.incidentChanged(change)) ?? (() => {});
    this.heartbeatTimer = this.timers.setTimeout(() => this.heartbeat(), this.limits.heartbeatMs);
  }

  /** False when a new client would exceed `maxClients`: the route answers 503 before upgrading. */
  acceptsClients(): boolean {
    return this.clients.size < this.limits.maxClients;
  }

  connect(socket: LiveSocket, actor: string): LiveConnection {
    const client: Client = new LiveClient(socket, actor, {
      highWaterBytes: this.limits.highWaterBytes,
      metrics: this.metrics,
      now: () => this.timers.now(),
      onBlocked: (blocked) => this.holdBack(blocked),
    });
    if (!this.acceptsClients()) {
      socket.close(CLOSE_CODES.tryAgainLater, 'too many live clients; retry later');
      return { receive() {}, pong() {}, closed() {} };
    }
    this.clients.add(client);
    const hello: HelloFrame = {
      type: 'hello',
      version: PROTOCOL_VERSION,
      actor,
      limits: {
        maxSubscriptions: this.limits.maxSubscriptionsPerClient,
        maxMessageBytes: this.limits.maxMessageBytes,
        maxWatchedIncidents: MESSAGE_LIMITS.watchedIncidents,
      },
    };
    client.trySend('hello', JSON.stringify(hello));
    client.sendStatus(this.health.status());
    return {
      receive: (data) => this.receive(client, data),
      pong: () => {
        client.answeredPing = true;
      },
      closed: () => this.disconnect(client),
    };
  }

  /** Stops polling and closes every client (1001); for shutdown. */
  close(): void {
    this.stopWatchingBus();
    this.timers.clearTimeout(this.heartbeatTimer);
    if (this.drainTimer !== null) this.timers.clearTimeout(this.drainTimer);
    if (this.fanOutTimer !== null) this.timers.clearTimeout(this.fanOutTimer.handle);
    for (const client of [...this.clients]) {
      this.disconnect(client);
      client.socket.close(CLOSE_CODES.goingAway, 'server shutting down');
    }
  }

  private receive(client: Client, data: string | object): void {
    if (!this.clients.has(client)) return;
    if (typeof data !== 'string') {
      this.sendError(client, { code: 'binary_not_supported', message: 'messages are JSON text frames' });
      return;
    }
    const parsed = parseClientMessage(data);
    if ('problem' in parsed) {
      this.sendError(client, parsed.problem);
      return;
    }
    const { message } = parsed;
    switch (message.type) {
      case 'subscribe':
        void this.subscribe(client, message);
        return;
      case 'unsubscribe':
        this.unsubscribe(client, message.sub);
        return;
      case 'watch':
        client.watching = message.incidents === 'all' ? 'all' : new Set(message.incidents);
        return;
      case 'ping':
        client.trySend('pong', '{"type":"pong"}');
        return;
    }
  }

  private async subscribe(client: Client, request: SubscribeMessage): Promise<void> {
    const existing = client.subscriptions.get(request.sub);
    if (!existing && client.subscriptions.size >= this.limits.maxSubscriptionsPerClient) {
      this.sendError(client, {
        sub: request.sub,
        code: 'too_many_subscriptions',
        message: `at most ${this.limits.maxSubscriptionsPerClient} subscriptions per connection; unsubscribe first`,
      });
      return;
    }
    // The same sub again replaces the subscription (e.g. to change its range).
    if (existing) this.detach(existing);
    const subscription: Subscription = {
      client,
      sub: request.sub,
      request,
      refreshMs: 0,
      feed: null,
      seenDataVersion: 0,
      seenFailureVersion: 0,
    };
    client.subscriptions.set(request.sub, subscription);
    await this.target(subscription);
  }

  /** Resolves what the subscription queries and (re)attaches it to that query's feed. */
  private async target(subscription: Subscription): Promise<void> {
    const { client, sub } = subscription;
    const current = () => client.subscriptions.get(sub) === subscription && this.clients.has(client);
    let target: SubscriptionTarget;
    try {
      target = await subscriptionTarget(subscription.request, {
        ...this.options,
        limits: this.limits,
        nowSeconds: this.timers.now() / 1000,
      });
    } catch (error) {
      // Unsubscribed, replaced or disconnected meanwhile: nobody is waiting for the answer.
      if (!current()) return;
      this.detach(subscription);
      client.subscriptions.delete(sub);
      const told = errorForClient(error);
      if (told.code === 'internal') this.logger.error('resolving a live cell failed', errorFields(error));
      this.sendError(client, { sub, ...told });
      return;
    }
    if (!current()) return;
    const key = upstreamKey(target.query);
    subscription.refreshMs = target.refreshMs;
    if (subscription.feed?.key === key) return;
    this.detach(subscription);
    subscription.seenDataVersion = 0;
    subscription.seenFailureVersion = 0;
    let feed = this.feeds.get(key);
    const fresh = !feed;
    if (!feed) {
      feed = new CellFeed<Subscription>(key, target.query, {
        source: this.options.datasources.get(target.query.datasource),
        timers: this.timers,
        random: this.options.random ?? Math.random,
        backoff: this.options.backoff ?? DEFAULT_BACKOFF,
        maxPoints: this.limits.maxPointsPerSeries,
        onChange: (changed) => this.feedChanged(changed),
        onRequest: () => {
          this.requestsInFlight += 1;
        },
        onSettled: (outcome, seconds) => {
          this.requestsInFlight -= 1;
          const { datasource } = target.query;
          this.metrics.upstreamQueries.inc({ datasource, outcome });
          this.metrics.upstreamDuration.observe({ datasource }, seconds);
        },
      });
      this.feeds.set(key, feed);
    }
    subscription.feed = feed;
    feed.add(subscription);
    if (fresh) feed.start();
    else this.sync(subscription);
  }

  private unsubscribe(client: Client, sub: string): void {
    const subscription = client.subscriptions.get(sub);
    if (!subscription) return;
    client.subscriptions.delete(sub);
    this.detach(subscription);
  }

  /** Takes the subscription off its feed; the last one out stops the polling. */
  private detach(subscription: Subscription): void {
    const feed = subscription.feed;
    subscription.feed = null;
    if (!feed) return;
    feed.remove(subscription);
    if (feed.subscribers.size > 0) return;
    feed.stop();
    this.feeds.delete(feed.key);
    if (this.health.forget(feed.query.datasource, feed.key)) this.broadcastStatus();
  }

  private disconnect(client: Client): void {
    if (!this.clients.delete(client)) return;
    this.blocked.delete(client);
    for (const subscription of client.subscriptions.values()) this.detach(subscription);
    client.subscriptions.clear();
  }

  private feedChanged(feed: CellFeed<Subscription>): void {
    this.changedFeeds.add(feed);
    // Feeds tick together: while others are still being answered, wait for them (a little).
    this.scheduleFanOut(this.requestsInFlight === 0 ? 0 : FAN_OUT_WAIT_MS);
    if (feed.failure?.code === 'internal') {
      this.logger.error('live query failed', { datasource: feed.query.datasource, ...errorFields(feed.failure.cause) });
    }
  }

  private scheduleFanOut(delayMs: number): void {
    const due = this.timers.now() + delayMs;
    if (this.fanOutTimer && this.fanOutTimer.due <= due) return;
    if (this.fanOutTimer) this.timers.clearTimeout(this.fanOutTimer.handle);
    this.fanOutTimer = { handle: this.timers.setTimeout(() => this.fanOut(), delayMs), due };
  }

  /**
   * Sends the news of every feed that changed since the last fan-out, one batch
   * per client, then the upstream status if it changed. Answers of one tick go
   * out together: a client watching ten cells gets its ten frames in one write
   * rather than ten, and those writes are most of what a fan-out costs.
   */
  private fanOut(): void {
    this.fanOutTimer = null;
    const byClient = new Map<Client, Subscription[]>();
    for (const feed of this.changedFeeds) {
      for (const subscription of feed.subscribers) {
        const list = byClient.get(subscription.client);
        if (list) list.push(subscription);
        else byClient.set(subscription.client, [subscription]);
      }
    }
    for (const [client, subscriptions] of byClient) {
      const write = () => {
        for (const subscription of subscriptions) this.sync(subscription);
      };
      if (client.socket.batch) client.socket.batch(write);
      else write();
    }
    let statusChanged = false;
    for (const feed of this.changedFeeds) {
      // A feed stopped meanwhile is already forgotten by the board.
      if (this.feeds.get(feed.key) !== feed) continue;
      statusChanged =
        this.health.record(feed.query.datasource, feed.key, feed.failure?.retryable ?? false) || statusChanged;
    }
    this.changedFeeds.clear();
    if (statusChanged) this.broadcastStatus();
  }

  /** Sends a subscriber what it has not seen: the latest data (a delta when it can), then a current failure. */
  private sync(subscription: Subscription): void {
    const { feed, client, sub } = subscription;
    if (!feed) return;
    if (feed.dataVersion > subscription.seenDataVersion) {
      const payload = feed.payloadFor(subscription.seenDataVersion)!;
      if (!client.trySend('data', dataFrameText(sub, payload))) return;
      subscription.seenDataVersion = feed.dataVersion;
    }
    const { failure } = feed;
    if (failure && feed.failureVersion > subscription.seenFailureVersion) {
      const frame: ErrorFrame = {
        type: 'error',
        sub,
        code: failure.code,
        message: failure.message,
        retrying: failure.retryable,
        ...(failure.position ? { position: failure.position } : {}),
      };
      if (!client.trySend('error', JSON.stringify(frame))) return;
      subscription.seenFailureVersion = feed.failureVersion;
    }
  }

  private broadcastStatus(): void {
    const status = this.health.status();
    for (const client of this.clients) client.sendStatus(status);
  }

  private incidentChanged(change: IncidentChange): void {
    const retarget = change.types.some((type) => RETARGETING_EVENTS.has(type));
    for (const client of this.clients) {
      if (client.watches(change.incidentId)) client.sendIncident(change);
      if (!retarget) continue;
      for (const subscription of client.subscriptions.values()) {
        const { cell } = subscription.request;
        if ('incidentId' in cell && cell.incidentId === change.incidentId) void this.target(subscription);
      }
    }
  }

  private holdBack(client: Client): void {
    this.blocked.add(client);
    this.drainTimer ??= this.timers.setTimeout(() => this.checkBlocked(), DRAIN_CHECK_MS);
  }

  /** Catches up clients that drained; closes those blocked past the limit. */
  private checkBlocked(): void {
    this.drainTimer = null;
    const now = this.timers.now();
    for (const client of this.blocked) {
      if (client.socket.bufferedAmount <= this.limits.highWaterBytes / 2) {
        this.blocked.delete(client);
        client.blockedSince = null;
        for (const subscription of client.subscriptions.values()) this.sync(subscription);
        client.flushPending();
      } else if (now - client.blockedSince! >= this.limits.blockedLimitMs) {
        this.metrics.slowClientsClosed.inc();
        this.disconnect(client);
        const seconds = Math.round(this.limits.blockedLimitMs / 1000);
        client.socket.close(CLOSE_CODES.slowConsumer, `slow consumer: not reading for ${seconds} s`);
      }
    }
    if (this.blocked.size > 0) this.drainTimer = this.timers.setTimeout(() => this.checkBlocked(), DRAIN_CHECK_MS);
  }

  /** Drops clients that did not answer the previous ping: a vanished peer never closes by itself. */
  private heartbeat(): void {
    for (const client of [...this.clients]) {
      if (!client.answeredPing) {
        this.disconnect(client);
        client.socket.terminate();
        continue;
      }
      client.answeredPing = false;
      client.socket.ping();
    }
    this.heartbeatTimer = this.timers.setTimeout(() => this.heartbeat(), this.limits.heartbeatMs);
  }

  private sendError(client: Client, problem: MessageProblem | Omit<ErrorFrame, 'type'>): void {
    client.trySend('error', JSON.stringify({ type: 'error', ...problem }));
  }
}
