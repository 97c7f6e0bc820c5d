import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { apiAuth, type TokenSource } from './auth.js';

const TOKENS = [{ name: 'ci', token: 'ci-token' }];

function whoami(options: { token?: TokenSource }) {
  return new Hono<AppEnv>().use(apiAuth({ tokens: TOKENS, ...options })).get('/whoami', (c) => c.text(c.get('actor')));
}

describe('apiAuth', () => {
  it('takes a Bearer token or Basic password from the Authorization header by default', async () => {
    const app = whoami({});
    expect(await (await app.request('/whoami', { headers: { authorization: 'Bearer ci-token' } })).text()).toBe('ci');
    const basic = `Basic ${Buffer.from('anyone:ci-token').toString('base64')}`;
    expect(await (await app.request('/whoami', { headers: { authorization: basic } })).text()).toBe('ci');
    expect((await app.request('/whoami', { headers: { 'x-token': 'ci-token' } })).status).toBe(401);
  });

  it('takes the token from where the `token` option says, and from nowhere else', async () => {
    const app = whoami({ token: (c) => c.req.header('x-token') ?? null });
    expect(await (await app.request('/whoami', { headers: { 'x-token': 'ci-token' } })).text()).toBe('ci');
    expect((await app.request('/whoami', { headers: { authorization: 'Bearer ci-token' } })).status).toBe(401);
    expect((await app.request('/whoami', { headers: { 'x-token': 'wrong' } })).status).toBe(401);
  });
});
