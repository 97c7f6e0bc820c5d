import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';

/**
 * Parses ALERTBOOK_TRUSTED_PROXIES: IP addresses and CIDR ranges, IPv4 or
 * IPv6, separated by commas or spaces (`10.0.0.0/8, 192.168.1.7, fd00::/8`).
 * Throws naming the offending entry and its position.
 */
export function parseTrustedProxies(text: string): BlockList {
  const proxies = new BlockList();
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw new Error('expected at least one IP address or CIDR range, e.g. 10.0.0.0/8');
  entries.forEach((entry, index) => {
    const fail = (why: string) => new Error(`entry ${index + 1} ("${entry}"): ${why}`);
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) throw fail('not an IP address or CIDR range');
    const type = version === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) return proxies.addAddress(address, type);
    const maxPrefix = version === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maxPrefix) throw fail(`prefix length must be 0 to ${maxPrefix}`);
    proxies.addSubnet(address, Number(prefix), type);
  });
  return proxies;
}

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
      return errorResponse(c, 'unauthorized', 'API tokens are not configured: sign in through the authenticating proxy');
    }
    const peer = remoteAddress(c);
    const family = peer === undefined ? 0 : isIP(peer);
    if (peer === undefined || family === 0 || !options.trustedProxies.check(peer, family === 4 ? 'ipv4' : 'ipv6')) {
      return errorResponse(c, 'unauthorized', `not signed in: the request did not come through a trusted proxy (peer ${peer ?? 'unknown'})`);
    }
    const identity = (c.req.header('x-forwarded-email') || c.req.header('x-forwarded-user') || '').trim();
    if (!identity) return errorResponse(c, 'unauthorized', 'the proxy named no user (X-Forwarded-Email or X-Forwarded-User)');
    c.set('actor', identity.slice(0, MAX_ACTOR_LENGTH));
    await next();
  });
}
