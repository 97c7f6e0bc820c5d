import type { Context } from 'hono';
import { ValidationError } from '../domain/errors.js';
import { readBodyText } from './request-body.js';

// The API's bodies are small JSON (a note, a step, a query): a megabyte is room to spare.
export const API_BODY_LIMIT = 1024 * 1024;

/** `:id` as a positive integer, or a 400 naming the parameter. */
export function incidentIdParam(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new ValidationError('id', `"${raw}" is not an incident id`);
  return Number(raw);
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
