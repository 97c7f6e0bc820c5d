import { isIP, type BlockList } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';

/** Longest identity recorded as an actor; the same bound the token names have. */
const MAX_ACTOR_LENGTH = 100;

export interface ProxyAuthOptions {
  trustedProxies: BlockList;
  /** Authenticates requests that carry an Authorization header (automation with API tokens); absent: such requests are refused. */
  tokenAuth?: MiddlewareHandler<AppEnv>;
  /** Besides an Authorization header, what counts as presenting a token (e.g. the live route's subprotocol entry). */
  presentsToken?: (c: Context) => boolean;
  /** The peer's address; @hono/node-server's connection info by default. */
  remoteAddress?: (c: Context) => string | undefined;
}

/**
 * ALERTBOOK_AUTH=proxy, the oauth2-proxy convention: an authenticating reverse
 * proxy signs people in and names them in `X-Forwarded-Email` /
 * `X-Forwarded-User`. Those headers are believed only from the trusted proxies
 * (anyone else could simply send them). The email is preferred as the actor:
 * many identity providers put an opaque subject id in the user header.
 */
export function proxyAuth(options: ProxyAuthOptions) {
  const remoteAddress = options.remoteAddress ?? ((c: Context) => getConnInfo(c).remote.address);
  return createMiddleware<AppEnv>(async function proxyAuth(c, next) {
    if (c.req.header('authorization') !== undefined || options.presentsToken?.(c)) {
      if (options.tokenAuth) return options.tokenAuth(c, next);
      return errorResponse(
        c,
        'unauthorized',
        'API tokens are not configured: sign in through the authenticating proxy',
      );
    }
    const peer = remoteAddress(c);
    const family = peer === undefined ? 0 : isIP(peer);
    if (peer === undefined || family === 0 || !options.trustedProxies.check(peer, family === 4 ? 'ipv4' : 'ipv6')) {
      return errorResponse(
        c,
        'unauthorized',
        `not signed in: the request did not come through a trusted proxy (peer ${peer ?? 'unknown'})`,
      );
    }
    const identity = (c.req.header('x-forwarded-email') || c.req.header('x-forwarded-user') || '').trim();
    if (!identity)
      return errorResponse(c, 'unauthorized', 'the proxy named no user (X-Forwarded-Email or X-Forwarded-User)');
    c.set('actor', identity.slice(0, MAX_ACTOR_LENGTH));
    await next();
  });
}
