import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { DIST_DIR, readManifest } from '../../../web/manifest.js';
import { renderShell, type AuthMode } from '../../../web/shell.js';
import type { AppEnv } from '../env.js';

/** The single-page app's routes; anything else under them is the API's or a 404. */
const PAGES = [
  '/',
  '/incidents/:id{[1-9][0-9]*}',
  '/runbooks',
  '/runbooks/*',
  // Any week name gets the page: the report page shows the API's answer to a bad one.
  '/reports',
  '/reports/:week',
  '/tuning',
  '/tuning/:id{[1-9][0-9]*}',
];

/**
 * The notebook: content-hashed assets under /assets (cached for a year,
 * precompressed) and the page shell for every page of the app (never cached,
 * so a deploy is picked up on the next load).
 */
export function webRoutes(deps: { authMode: AuthMode; distDir?: string }) {
  const distDir = deps.distDir ?? DIST_DIR;
  const app = new Hono<AppEnv>();
  app.get(
    '/assets/*',
    async function cacheForever(c, next) {
      await next();
      // The file name changes with the content, so a cached copy is never stale.
      if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
    },
    serveStatic({ root: distDir, precompressed: true }),
  );
  for (const page of PAGES) {
    app.get(page, async (c) => {
      // Read per page load (a few hundred bytes): a rebuild is picked up without a restart.
      const manifest = await readManifest(distDir);
      c.header('Cache-Control', 'no-cache');
      return c.html(renderShell(manifest, deps.authMode));
    });
  }
  return app;
}
