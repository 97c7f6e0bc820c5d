import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { csrfProtection } from './csrf.js';

function appWith(options?: Parameters<typeof csrfProtection>[0]) {
  return new Hono<AppEnv>()
    .use(csrfProtection(options))
    .get('/thing', (c) => c.text('read'))
    .post('/thing', (c) => c.text('written'))
    .delete('/thing', (c) => c.text('deleted'));
}

const send = (headers: Record<string, string>, method = 'POST', app = appWith()) =>
  app.request('http://alertbook.test/thing', {
    method,
    headers: { 'content-type': 'text/plain', ...headers },
    body: method === 'GET' ? undefined : '{}',
  });

describe('csrfProtection', () => {
  it('lets reads through without any proof', async () => {
    expect((await send({ 'sec-fetch-site': 'cross-site' }, 'GET')).status).toBe(200);
  });

  it('refuses a form-like cross-site POST riding on ambient credentials, naming the evidence', async () => {
    const res = await send({
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      cookie: '_oauth2_proxy=session',
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain('Sec-Fetch-Site: cross-site');
  });

  it('refuses a state-changing request that carries no proof at all', async () => {
    for (const method of ['POST', 'DELETE']) {
      const res = await send({}, method);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('no Origin header');
    }
  });

  it('accepts the UI marker header, which another site cannot send without a preflight', async () => {
    expect((await send({ 'x-alertbook-request': '1', 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect((await send({ 'x-alertbook-request': 'yes' })).status).toBe(403);
  });

  it('exempts Bearer-token requests, and only those', async () => {
    expect((await send({ authorization: 'Bearer alice-token' })).status).toBe(200);
    // Basic credentials are cached and replayed by browsers: ambient, so checked.
    expect((await send({ authorization: 'Basic YWxpY2U6c2VjcmV0' })).status).toBe(403);
  });

  it('trusts Sec-Fetch-Site over Origin when a browser sends both', async () => {
    expect((await send({ 'sec-fetch-site': 'same-origin', origin: 'http://alertbook.test' })).status).toBe(200);
    expect((await send({ 'sec-fetch-site': 'same-site', origin: 'http://alertbook.test' })).status).toBe(403);
  });

  it("compares Origin with the server's own origin when Sec-Fetch-Site is absent", async () => {
    expect((await send({ origin: 'http://alertbook.test' })).status).toBe(200);
    expect((await send({ origin: 'http://alertbook.test.evil.example' })).status).toBe(403);
    expect((await send({ origin: 'null' })).status).toBe(403);
  });

  it('accepts allow-listed origins, e.g. the public URL behind a TLS-terminating proxy', async () => {
    const app = appWith({ allowedOrigins: ['https://alertbook.example.com'] });
    expect(
      (await send({ origin: 'https://alertbook.example.com', 'sec-fetch-site': 'cross-site' }, 'POST', app)).status,
    ).toBe(200);
    expect((await send({ origin: 'https://other.example.com' }, 'POST', app)).status).toBe(403);
  });
});
