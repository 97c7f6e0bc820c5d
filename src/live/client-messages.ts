import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { validate } from '../domain/validate.js';
import { parseDuration } from '../prometheus/step.js';

/** Bounds on what one message may ask for; they keep a socket's memory small whatever it sends. */
export const MESSAGE_LIMITS = {
  subIdLength: 64,
  queryLength: 10_000,
  /** Longest window a live cell may show. */
  rangeSeconds: 31 * 86_400,
  /** Fastest refresh a subscription may ask for. */
  refreshSeconds: 1,
  watchedIncidents: 100,
} as const;

/** Seconds (`300`) or a Prometheus duration string (`"5m"`), as seconds; `min` inclusive. */
function duration(min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((raw, ctx) => {
    let seconds: number;
    try {
      seconds = parseDuration(raw);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    if (!(seconds >= min && seconds <= max)) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max} seconds, got ${seconds}` });
      return z.NEVER;
    }
    return seconds;
  });
}

const subId = z.string().min(1).max(MESSAGE_LIMITS.subIdLength);

/** A runbook cell of an incident, or an ad-hoc query. */
export type CellRef = { incidentId: number; cellId: string } | { query: string; datasource?: string };

// One flat object checked by hand rather than a zod union, so a mistake is reported on
// the field that has it instead of as "no union member matched".
const cell = z
  .strictObject({
    incidentId: z.number().int().positive().optional(),
    cellId: z.string().min(1).max(200).optional(),
    query: z.string().trim().min(1).max(MESSAGE_LIMITS.queryLength).optional(),
    datasource: z.string().min(1).max(100).optional(),
  })
  .transform((c, ctx): CellRef => {
    const fail = (field: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [field], message });
      return z.NEVER;
    };
    if (c.query !== undefined) {
      if (c.incidentId !== undefined)
        return fail('incidentId', 'give either {incidentId, cellId} or {query, datasource?}, not both');
      if (c.cellId !== undefined) return fail('cellId', 'only incident cells have a cellId');
      return c.datasource === undefined ? { query: c.query } : { query: c.query, datasource: c.datasource };
    }
    if (c.incidentId === undefined) return fail('query', 'required: give {query, datasource?} or {incidentId, cellId}');
    if (c.cellId === undefined) return fail('cellId', 'required with incidentId');
    if (c.datasource !== undefined) return fail('datasource', "an incident cell uses its runbook's datasource");
    return { incidentId: c.incidentId, cellId: c.cellId };
  });

const SCHEMAS = {
  subscribe: z.strictObject({
    type: z.literal('subscribe'),
    sub: subId,
    cell,
    range: duration(1, MESSAGE_LIMITS.rangeSeconds).optional(),
    step: duration(0.001, MESSAGE_LIMITS.rangeSeconds).optional(),
    refresh: duration(MESSAGE_LIMITS.refreshSeconds, 86_400).optional(),
  }),
  unsubscribe: z.strictObject({ type: z.literal('unsubscribe'), sub: subId }),
  watch: z.strictObject({
    type: z.literal('watch'),
    incidents: z.union([z.literal('all'), z.array(z.number().int().positive()).max(MESSAGE_LIMITS.watchedIncidents)]),
  }),
  ping: z.strictObject({ type: z.literal('ping') }),
};

export type ClientMessage = { [K in keyof typeof SCHEMAS]: z.output<(typeof SCHEMAS)[K]> }[keyof typeof SCHEMAS];
export type SubscribeMessage = Extract<ClientMessage, { type: 'subscribe' }>;

export type MessageProblem = {
  code: 'invalid_json' | 'unknown_type' | 'invalid_message';
  message: string;
  /** The offending field, e.g. `cell.query`. */
  field?: string;
  /** The subscription the bad message was about, when it named one. */
  sub?: string;
};

/** Reads one text frame from a client: the message, or what is wrong with it and where. */
export function parseClientMessage(text: string): { message: ClientMessage } | { problem: MessageProblem } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problem: { code: 'invalid_json', message: `not JSON: ${(error as Error).message}` } };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problem: { code: 'invalid_message', message: 'a message is a JSON object with a "type"' } };
  }
  const { type, sub } = raw as { type?: unknown; sub?: unknown };
  const about = typeof sub === 'string' && subId.safeParse(sub).success ? { sub } : {};
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type)) {
    return {
      problem: {
        code: 'unknown_type',
        message: `unknown message type ${JSON.stringify(type)} (expected ${Object.keys(SCHEMAS).join(', ')})`,
        field: 'type',
        ...about,
      },
    };
  }
  try {
    return { message: validate(SCHEMAS[type as keyof typeof SCHEMAS], raw) as ClientMessage };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { problem: { code: 'invalid_message', message: error.message, field: error.field, ...about } };
  }
}
