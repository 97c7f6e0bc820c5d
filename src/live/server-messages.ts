import type { PrometheusErrorKind } from '../prometheus/errors.js';
import type { WireSampleValue } from '../prometheus/sample-value.js';

/** Bumped on any change a version-1 client could misread; added fields and frame types are not breaking. */
export const PROTOCOL_VERSION = 1;
/** The `Sec-WebSocket-Protocol` the server selects; browsers offer it first, the bearer token after it. */
export const SUBPROTOCOL = `alertbook.v${PROTOCOL_VERSION}`;

export type UpstreamHealth = 'ok' | 'degraded' | 'down';

export interface HelloFrame {
  type: 'hello';
  version: number;
  actor: string;
  limits: { maxSubscriptions: number; maxMessageBytes: number; maxWatchedIncidents: number };
}

export interface StatusFrame {
  type: 'status';
  upstream: UpstreamHealth;
  /** The datasources in use that are not `ok`; empty when all are. */
  datasources: Record<string, UpstreamHealth>;
}

export interface FrameSeries {
  /** Stable while the series stays in the result; a delta names series by it. */
  id: number;
  /** In full frames, and in deltas for a series that just appeared. */
  metric?: Record<string, string>;
  /** [unix seconds, value]: new or changed points only, in a delta. */
  values: [number, WireSampleValue][];
}

/** The part of a data frame every subscriber of one upstream query shares (all but `type` and `sub`). */
export interface DataPayload {
  delta: boolean;
  resultType: 'matrix';
  /** The window, unix seconds; a client drops points older than `from`. */
  from: number;
  to: number;
  step: number;
  series: FrameSeries[];
  /** Delta only: ids of series no longer in the result. */
  removed?: number[];
  /** More series matched than the datasource's cap; `totalSeries` says how many. */
  truncated: boolean;
  totalSeries: number;
  warnings?: string[];
}

export type DataFrame = { type: 'data'; sub: string } & DataPayload;

export type LiveErrorCode =
  // The client's message
  | 'invalid_json'
  | 'invalid_message'
  | 'unknown_type'
  | 'binary_not_supported'
  | 'too_many_subscriptions'
  // Resolving a cell
  | 'not_found'
  | 'invalid_input'
  | 'cell_unavailable'
  // The datasource, or the upstream query
  | PrometheusErrorKind
  | 'internal';

export interface ErrorFrame {
  type: 'error';
  sub?: string;
  code: LiveErrorCode;
  message: string;
  field?: string;
  /** Upstream errors: whether the hub keeps retrying this subscription (with backoff). */
  retrying?: boolean;
  /** Parse errors: where in the query, 1-based. */
  position?: { line: number; column: number };
}

export interface IncidentFrame {
  type: 'incident';
  incidentId: number;
  /** Timeline event types appended since the last frame for this incident, e.g. `note.added`. */
  types: string[];
}

export interface PongFrame {
  type: 'pong';
}

export type ServerFrame = HelloFrame | StatusFrame | DataFrame | ErrorFrame | IncidentFrame | PongFrame;

/**
 * A data frame for one subscriber from the shared payload's JSON: the payload is
 * encoded once per upstream answer, not once per viewer.
 */
export function dataFrameText(sub: string, payloadJson: string): string {
  return `{"type":"data","sub":${JSON.stringify(sub)},${payloadJson.slice(1)}`;
}
