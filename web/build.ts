/**
 * Bundles the notebook (web/src) into web/dist with esbuild: content-hashed
 * assets under dist/assets (served immutable), precompressed copies, and
 * dist/manifest.json naming them for the page shell. `npm run build:web`
 * (build-cli.ts) builds and prints sizes; the server calls buildWeb() when dist is missing.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { DIST_DIR, manifestPath, WEB_DIR, type WebManifest } from './manifest.js';

/** The budget for all JavaScript a page loads, gzipped. */
export const JS_BUDGET_GZIP_BYTES = 150 * 1024;

export interface BuiltAsset {
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface WebBuild {
  manifest: WebManifest;
  assets: BuiltAsset[];
  /** Sum over the JavaScript files, gzipped. */
  jsGzipBytes: number;
}

export async function buildWeb(): Promise<WebBuild> {
  // Loaded here, not at the top: a server whose notebook is built never loads esbuild.
  const esbuild = await import('esbuild');
  const assetsDir = join(DIST_DIR, 'assets');
  await mkdir(assetsDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { app: join(WEB_DIR, 'src/main.tsx') },
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });

  const assets: BuiltAsset[] = [];
  let manifest: WebManifest | null = null;
  for (const [outPath, output] of Object.entries(result.metafile.outputs)) {
    if (!/\.(js|css)$/.test(outPath)) continue;
    const content = await readFile(outPath);
    // Precompressed once here, so the server never compresses per request.
    const gzip = gzipSync(content, { level: 9 });
    await writeFile(`${outPath}.gz`, gzip);
    await writeFile(`${outPath}.br`, brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
    const urlPath = `/assets/${basename(outPath)}`;
    assets.push({ path: urlPath, bytes: content.length, gzipBytes: gzip.length });
    if (output.entryPoint && output.cssBundle)
      manifest = { script: urlPath, style: `/assets/${basename(output.cssBundle)}` };
  }
  if (!manifest)
    throw new Error('esbuild produced no entry script with a stylesheet (does src/main.tsx import the CSS?)');

  // Written last and atomically: a manifest on disk always names assets that exist.
  const temporary = `${manifestPath()}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(manifest, null, 2));
  await rename(temporary, manifestPath());
  const jsGzipBytes = assets.filter((a) => a.path.endsWith('.js')).reduce((sum, a) => sum + a.gzipBytes, 0);
  return { manifest, assets, jsGzipBytes };
}

/**
 * Server modules the bundle runs (pure, no Node API): the report's value formats
 * and severity colours, so the notebook prints a report as the HTML and markdown do.
 */
const SHARED_WITH_SERVER = [
  '../src/domain/reports/render/format-values.ts',
  '../src/domain/reports/render/svg-charts.ts',
  '../src/domain/reports/zoned-time.ts',
];

/** True when dist has no manifest, or a source file is newer than it. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await stat(manifestPath()).catch(() => null);
  if (!built) return true;
  const { glob } = await import('tinyglobby');
  const sources = await glob(['src/**/*', 'build.ts', ...SHARED_WITH_SERVER], { cwd: WEB_DIR, absolute: true });
  const times = await Promise.all(sources.map(async (file) => (await stat(file)).mtimeMs));
  return times.some((time) => time > built.mtimeMs);
}
