import { Hono, type Context } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { apiAuth } from './auth.js';
import { parseTrustedProxies } from '../../trusted-proxies.js';
import { proxyAuth } from './proxy-auth.js';

const TRUSTED = parseTrustedProxies('10.0.0.0/8');

function appWith(options: { peer: string | undefined; tokens?: boolean }) {
  const tokenAuth = options.tokens ? apiAuth({ tokens: [{ name: 'ci', token: 'ci-token' }] }) : undefined;
  return new Hono<AppEnv>()
    .use(proxyAuth({ trustedProxies: TRUSTED, tokenAuth, remoteAddress: () => options.peer }))
    .get('/whoami', (c) => c.text(c.get('actor')));
}

async function whoami(app: ReturnType<typeof appWith>, headers: Record<string, string>) {
  const res = await app.request('/whoami', { headers });
  return {
    status: res.status,
    body: res.status === 200 ? await res.text() : ((await res.json()) as { error: { message: string } }).error.message,
  };
}

describe('proxyAuth', () => {
  it('takes the person from a trusted proxy, preferring the email over an opaque user id', async () => {
    const app = appWith({ peer: '10.1.2.3' });
    expect(await whoami(app, { 'x-forwarded-user': '108234', 'x-forwarded-email': 'ana@example.com' })).toEqual({
      status: 200,
      body: 'ana@example.com',
    });
    expect(await whoami(app, { 'x-forwarded-user': 'ana' })).toEqual({ status: 200, body: 'ana' });
  });

  it('accepts a trusted proxy connecting over IPv4-mapped IPv6', async () => {
    expect(await whoami(appWith({ peer: '::ffff:10.9.9.9' }), { 'x-forwarded-user': 'ana' })).toEqual({
      status: 200,
      body: 'ana',
    });
  });

  it('ignores identity headers from anyone else', async () => {
    const result = await whoami(appWith({ peer: '203.0.113.9' }), { 'x-forwarded-user': 'admin' });
    expect(result.status).toBe(401);
    expect(result.body).toContain('did not come through a trusted proxy (peer 203.0.113.9)');
  });

  it('refuses a trusted proxy request that names nobody', async () => {
    const result = await whoami(appWith({ peer: '10.0.0.2' }), { 'x-forwarded-user': '   ' });
    expect(result).toEqual({ status: 401, body: 'the proxy named no user (X-Forwarded-Email or X-Forwarded-User)' });
  });

  it('never takes the loopback-open X-Alertbook-User header as an identity', async () => {
    expect((await whoami(appWith({ peer: '10.0.0.2' }), { 'x-alertbook-user': 'ana' })).status).toBe(401);
  });

  it('hands requests with an Authorization header to token auth, whoever sends them', async () => {
    const app = appWith({ peer: '203.0.113.9', tokens: true });
    expect(await whoami(app, { authorization: 'Bearer ci-token' })).toEqual({ status: 200, body: 'ci' });
    expect((await whoami(app, { authorization: 'Bearer wrong', 'x-forwarded-user': 'ana' })).status).toBe(401);
  });

  it('hands requests that present a token elsewhere (presentsToken) to token auth too', async () => {
    const tokenAuth = apiAuth({
      tokens: [{ name: 'ci', token: 'ci-token' }],
      token: (c) => c.req.header('x-token') ?? null,
    });
    const presentsToken = (c: Context) => c.req.header('x-token') !== undefined;
    const app = new Hono<AppEnv>()
      .use(proxyAuth({ trustedProxies: TRUSTED, tokenAuth, presentsToken, remoteAddress: () => '10.0.0.2' }))
      .get('/whoami', (c) => c.text(c.get('actor')));
    expect(await whoami(app, { 'x-token': 'ci-token' })).toEqual({ status: 200, body: 'ci' });
    expect((await whoami(app, { 'x-token': 'wrong', 'x-forwarded-user': 'ana' })).status).toBe(401);
    expect(await whoami(app, { 'x-forwarded-user': 'ana' })).toEqual({ status: 200, body: 'ana' });
  });

  it('refuses Authorization headers when no API tokens are configured', async () => {
    const result = await whoami(appWith({ peer: '10.0.0.2' }), {
      authorization: 'Bearer anything',
      'x-forwarded-user': 'ana',
    });
    expect(result).toEqual({
      status: 401,
      body: 'API tokens are not configured: sign in through the authenticating proxy',
    });
  });

  it('reads the peer address from the Node connection by default', async () => {
    const app = new Hono<AppEnv>()
      .use(proxyAuth({ trustedProxies: TRUSTED }))
      .get('/whoami', (c) => c.text(c.get('actor')));
    const env = (address: string) => ({ incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4' } } });
    const headers = { 'x-forwarded-user': 'ana' };
    expect((await app.request('/whoami', { headers }, env('10.0.0.7'))).status).toBe(200);
    expect((await app.request('/whoami', { headers }, env('127.0.0.1'))).status).toBe(401);
  });
});
