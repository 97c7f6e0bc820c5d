import type { Logger } from '../src/logger.js';

/**
 * "npm start builds what is missing": builds the notebook bundle when web/dist
 * has none or a source is newer. Called once by main.ts before listening.
 */
export async function ensureWebBuilt(logger: Logger): Promise<void> {
  // Imported lazily: esbuild is only loaded when there is something to build.
  const { buildWeb, webBuildIsStale, JS_BUDGET_GZIP_BYTES } = await import('./build.js');
  if (!(await webBuildIsStale())) return;
  const started = performance.now();
  const build = await buildWeb();
  logger.info('web notebook built', {
    ms: Math.round(performance.now() - started),
    jsGzipBytes: build.jsGzipBytes,
    jsBudgetBytes: JS_BUDGET_GZIP_BYTES,
  });
}
