import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';

/** The header the web UI sends on every request. */
export const REQUEST_MARKER_HEADER = 'x-alertbook-request';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery protection for requests that rely on ambient
 * credentials: the proxy's session cookie, or nothing at all in loopback-open
 * mode. A state-changing request must show it comes from this site:
 * `X-Alertbook-Request: 1` (a custom header another site cannot add without a
 * CORS preflight, which this server never grants), `Sec-Fetch-Site:
 * same-origin`, or an `Origin` that is ours or allow-listed. A Bearer token is
 * never attached by a browser on its own, so token requests are exempt.
 */
export function csrfProtection(options: { allowedOrigins?: readonly string[] } = {}) {
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  return createMiddleware<AppEnv>(async function csrfProtection(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (/^bearer\s/i.test(c.req.header('authorization') ?? '')) return next();
    if (c.req.header(REQUEST_MARKER_HEADER) === '1') return next();
    const verdict = judgeOrigin(c, allowedOrigins);
    if (verdict.sameSite) return next();
    return errorResponse(
      c,
      'forbidden',
      `cross-site request refused (${verdict.evidence}): send X-Alertbook-Request: 1, a same-origin Origin or a Bearer token`,
    );
  });
}

function judgeOrigin(c: Context, allowedOrigins: ReadonlySet<string>): { sameSite: boolean; evidence: string } {
  const origin = c.req.header('origin');
  if (origin !== undefined && allowedOrigins.has(origin)) return { sameSite: true, evidence: `Origin: ${origin}` };
  // Sec-Fetch-Site is set by the browser itself and beats Origin when present.
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite !== undefined)
    return { sameSite: fetchSite === 'same-origin', evidence: `Sec-Fetch-Site: ${fetchSite}` };
  if (origin === undefined) return { sameSite: false, evidence: 'no Origin header' };
  return { sameSite: origin === new URL(c.req.url).origin, evidence: `Origin: ${origin}` };
}
