/**
 * The live websocket protocol, version 1, as specified by the server
 * (README.md, "Live cells"): its own message types, so both ends read one definition.
 */
import type { SubscribeMessage } from '../../../src/live/client-messages.js';
import type { ClientMessage as ServerReadMessage } from '../../../src/live/client-messages.js';

export type { CellRef } from '../../../src/live/client-messages.js';
export type { WireSampleValue as WireValue } from '../../../src/prometheus/sample-value.js';
export type {
  DataFrame,
  ErrorFrame,
  IncidentFrame,
  ServerFrame,
  UpstreamHealth,
} from '../../../src/live/server-messages.js';
export { SUBPROTOCOL } from '../../../src/live/server-messages.js';

/** A cell subscription's parameters: durations in seconds. */
export type CellRequest = Omit<SubscribeMessage, 'type' | 'sub'>;

export type ClientMessage = Exclude<ServerReadMessage, { type: 'ping' }>;
