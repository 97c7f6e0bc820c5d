import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { errorResponse } from '../errors.js';
import type { AppEnv } from '../env.js';

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The secret a request presents: a Bearer token, or the password of Basic auth. */
export function presentedSecret(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** Alertmanager's webhook: ALERTBOOK_WEBHOOK_TOKEN as Bearer or Basic password; open when unset. */
export function webhookAuth(options: { token: string | undefined; onReject?: () => void }) {
  return createMiddleware<AppEnv>(async function webhookAuth(c, next) {
    if (options.token) {
      const secret = presentedSecret(c.req.header('authorization'));
      if (secret === null || !safeEqual(secret, options.token)) {
        options.onReject?.();
        return errorResponse(c, 'unauthorized', 'missing or invalid webhook credentials');
      }
    }
    c.set('actor', 'alertmanager');
    await next();
  });
}

export interface ApiToken {
  name: string;
  token: string;
}

/** Where a request presents its API token: the secret, or null when it presents none. */
export type TokenSource = (c: Context) => string | null;

/** The `Authorization` header: a Bearer token or the password of Basic auth. */
export const authorizationHeader: TokenSource = (c) => presentedSecret(c.req.header('authorization'));

/**
 * The API: with tokens configured, a token is required (from `token`, the
 * Authorization header by default) and its name is the actor recorded on what
 * it does. Without tokens (loopback development), the caller may name itself
 * in `X-Alertbook-User`.
 */
export function apiAuth(options: { tokens: ApiToken[]; token?: TokenSource }) {
  const presented = options.token ?? authorizationHeader;
  return createMiddleware<AppEnv>(async function apiAuth(c, next) {
    if (options.tokens.length === 0) {
      c.set('actor', c.req.header('x-alertbook-user')?.trim().slice(0, 100) || 'anonymous');
      return next();
    }
    const secret = presented(c);
    // Compare against every token so the time taken does not reveal which one matched.
    let matched: ApiToken | undefined;
    for (const candidate of options.tokens) {
      if (secret !== null && safeEqual(secret, candidate.token)) matched = candidate;
    }
    if (!matched) return errorResponse(c, 'unauthorized', 'missing or invalid API token');
    c.set('actor', matched.name);
    await next();
  });
}
