import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { fieldPath, ValidationError } from '../domain/errors.js';
import { readBodyText } from './request-body.js';

// The API's bodies are small JSON (a note, a step, a query): a megabyte is room to spare.
export const API_BODY_LIMIT = 1024 * 1024;

/** `:id` as a positive integer, or a 400 naming the parameter. */
export function incidentIdParam(c: Context): number {
  return idParam(c, 'id', 'an incident id');
}

/** A path parameter holding a row id (a positive integer), or a 400 naming it. */
export function idParam(c: Context, name: string, what: string): number {
  const raw = c.req.param(name) ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new ValidationError(name, `"${raw}" is not ${what}`);
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

/**
 * The request's JSON body (an empty body counts as `{}`): a 400 when it is not JSON
 * or carries a NUL character, a 413 past API_BODY_LIMIT.
 */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await readBodyText(c, API_BODY_LIMIT);
  const body = text.trim() ? parseJsonBody(text) : {};
  rejectNul(body, []);
  return body;
}

const NUL_MESSAGE = 'contains a NUL character (U+0000), which cannot be stored';

/**
 * Postgres text cannot hold U+0000: in an API input it is the client's mistake,
 * answered with a 400 naming the field instead of the database's error as a 500.
 * (The webhook stores such values instead, replaced: see INTAKE.md.)
 */
function rejectNul(value: unknown, path: (string | number)[]): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new ValidationError(fieldPath(path), NUL_MESSAGE);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => rejectNul(item, [...path, index]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\0')) throw new ValidationError(fieldPath(path), `a key ${NUL_MESSAGE}`);
      rejectNul(item, [...path, key]);
    }
  }
}

/** A 400 for a NUL character in the path or a query parameter, naming which, before any route reads them. */
export const nulFreeRequestLine = createMiddleware(async function nulFreeRequestLine(c, next) {
  if (/%00/i.test(new URL(c.req.url).pathname)) throw new ValidationError('(path)', NUL_MESSAGE);
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (name.includes('\0')) throw new ValidationError('(query)', `a parameter name ${NUL_MESSAGE}`);
    if (values.some((value) => value.includes('\0'))) throw new ValidationError(name, NUL_MESSAGE);
  }
  await next();
});
