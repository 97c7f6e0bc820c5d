import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { loopbackHostOnly } from './host-check.js';

const app = new Hono<AppEnv>()
  .use(loopbackHostOnly({ allowedOrigins: ['https://notebook.example.com'] }))
  .get('/', (c) => c.text('ok'));
const statusFor = async (host: string) => (await app.request('http://unused.test/', { headers: { host } })).status;

describe('loopbackHostOnly', () => {
  it.each([
    'localhost',
    'localhost:8080',
    '127.0.0.1:8080',
    '127.4.5.6',
    '[::1]:8080',
    'notebook.example.com',
    'notebook.example.com:443',
  ])('answers Host %s', async (host) => {
    expect(await statusFor(host)).toBe(200);
  });

  it.each([
    'evil.example:8080',
    'localhost.evil.example',
    '127.0.0.1.evil.example',
    'notebook.example.com.evil.example',
    '0.0.0.0',
    'a b',
  ])('refuses Host %s', async (host) => {
    expect(await statusFor(host)).toBe(403);
  });

  it('falls back to the request URL when there is no Host header', async () => {
    expect((await app.request('http://localhost/')).status).toBe(200);
    expect((await app.request('http://evil.example/')).status).toBe(403);
  });
});
