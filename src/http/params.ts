import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ValidationError } from '../domain/errors.js';
import { readBodyText } from './request-body.js';

// The API's bodies are small JSON (a note, a step, a query): a megabyte is room to spare.
export const API_BODY_LIMIT = 1024 * 1024;

/** `:id` as a positive integer, or a 400 naming the parameter. */
export function incidentIdParam(c: Context): number {
  return idParam(c, 'an incident id');
}

/** `:id` as a positive integer (`what` it should have been, for the 400). */
export function idParam(c: Context, what: string): number {
  const raw = c.req.param('id') ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new ValidationError('id', `"${raw}" is not ${what}`);
  return Number(raw);
}

/**
 * A route's query parameters, declared: any other is a 400 naming it, as is one
 * given twice. An ignored `?since=` would silently answer with everything.
 */
export function acceptsQuery(...names: string[]) {
  const accepted = new Set(names);
  const expected = names.length ? `expected ${names.join(', ')}` : 'this route takes none';
  return createMiddleware(async function acceptsQuery(c, next) {
    for (const [name, values] of Object.entries(c.req.queries())) {
      if (!accepted.has(name)) throw new ValidationError(name, `unknown query parameter (${expected})`);
      if (values.length > 1) throw new ValidationError(name, 'given more than once');
    }
    await next();
  });
}

/** A request body as JSON, or a 400 naming the body when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError('(body)', `not valid JSON: ${(error as Error).message}`);
  }
}

/** The request's JSON body (an empty body counts as `{}`), a 400 when it is not JSON, a 413 past API_BODY_LIMIT. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await readBodyText(c, API_BODY_LIMIT);
  return text.trim() ? parseJsonBody(text) : {};
}
