/**
 * The hub's bounds. Whatever clients do, memory stays within: per client its
 * subscriptions (≤ maxSubscriptionsPerClient) and unsent output (≤ highWaterBytes
 * plus one frame); per distinct query the latest answer (≤ the datasource's
 * series cap × maxPointsPerSeries points, kept once however many watch it).
 */
export interface LiveLimits {
  maxClients: number;
  maxSubscriptionsPerClient: number;
  /** Largest client message; the route makes the websocket server refuse bigger ones (close 1009). */
  maxMessageBytes: number;
  /** Points per series a live cell may hold; the step is raised to stay under it. */
  maxPointsPerSeries: number;
  /** A socket with more unsent bytes than this gets no new frames until it drains. */
  highWaterBytes: number;
  /** A socket that stays backed up this long is closed with 4008. */
  blockedLimitMs: number;
  /** Ping every client this often; one that missed the previous pong is dropped. */
  heartbeatMs: number;
  defaultRangeSeconds: number;
  defaultRefreshSeconds: number;
}

export const DEFAULT_LIMITS: LiveLimits = {
  maxClients: 10_000,
  maxSubscriptionsPerClient: 50,
  maxMessageBytes: 16 * 1024,
  maxPointsPerSeries: 2_000,
  highWaterBytes: 1024 * 1024,
  blockedLimitMs: 10_000,
  heartbeatMs: 30_000,
  defaultRangeSeconds: 3_600,
  defaultRefreshSeconds: 15,
};
