import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from './web.js';

const dist = mkdtempSync(join(tmpdir(), 'alertbook-web-dist-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
const SCRIPT = 'console.log("notebook");'.repeat(20);
mkdirSync(join(dist, 'assets'));
writeFileSync(
  join(dist, 'manifest.json'),
  JSON.stringify({ script: '/assets/app-ABC123.js', style: '/assets/app-DEF456.css' }),
);
writeFileSync(join(dist, 'assets/app-ABC123.js'), SCRIPT);
writeFileSync(join(dist, 'assets/app-ABC123.js.gz'), gzipSync(SCRIPT));

const app = webRoutes({ authMode: 'proxy', distDir: dist });

describe('webRoutes', () => {
  it('serves the page shell for every page of the app, never cached', async () => {
    for (const path of [
      '/',
      '/incidents/42',
      '/runbooks',
      '/runbooks/team-a/disk-full',
      '/reports',
      '/reports/2026-W48',
      '/reports/incidents',
      '/tuning',
      '/tuning/7',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/assets/app-ABC123.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/assets/app-DEF456.css">');
      expect(html).toContain('<meta name="alertbook-auth" content="proxy">');
      expect(html).not.toMatch(/<script>/);
    }
  });

  it('leaves other paths alone', async () => {
    for (const path of [
      '/incidents/abc',
      '/incidents',
      '/api/v1/incidents',
      '/hooks/alertmanager',
      '/reports/a/b',
      '/tuning/x',
    ]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it('serves content-hashed assets cached for a year, precompressed when the browser accepts gzip', async () => {
    const plain = await app.request('/assets/app-ABC123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toMatch(/javascript/);
    expect(await plain.text()).toBe(SCRIPT);

    const gzipped = await app.request('/assets/app-ABC123.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(Number(gzipped.headers.get('content-length'))).toBeLessThan(SCRIPT.length);
  });

  it('answers 404 for a missing asset and refuses paths out of the assets folder', async () => {
    expect((await app.request('/assets/app-OLD.js')).status).toBe(404);
    expect((await app.request('/assets/../manifest.json')).status).toBe(404);
    expect((await app.request('/assets/%2e%2e/manifest.json')).status).toBe(404);
  });
});
