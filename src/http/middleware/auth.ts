import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { errorResponse } from '../errors.js';
import type { AppEnv } from '../env.js';

/**
 * Secrets are compared by their sha256 in constant time (timingSafeEqual needs
 * equal lengths); a configured secret's digest is taken once, not per request.
 */
const digest = (secret: string) => createHash('sha256').update(secret).digest();

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
  const expected = options.token ? digest(options.token) : null;
  return createMiddleware<AppEnv>(async function webhookAuth(c, next) {
    if (expected) {
      const secret = presentedSecret(c.req.header('authorization'));
      if (secret === null || !timingSafeEqual(digest(secret), expected)) {
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
  const candidates = options.tokens.map((token) => ({ token, digest: digest(token.token) }));
  return createMiddleware<AppEnv>(async function apiAuth(c, next) {
    if (options.tokens.length === 0) {
      c.set('actor', c.req.header('x-alertbook-user')?.trim().slice(0, 100) || 'anonymous');
      return next();
    }
    const secret = presented(c);
    const presentedDigest = secret === null ? null : digest(secret);
    // Compare against every token so the time taken does not reveal which one matched.
    let matched: ApiToken | undefined;
    for (const candidate of candidates) {
      if (presentedDigest !== null && timingSafeEqual(presentedDigest, candidate.digest)) matched = candidate.token;
    }
    if (!matched) return errorResponse(c, 'unauthorized', 'missing or invalid API token');
    c.set('actor', matched.name);
    await next();
  });
}
