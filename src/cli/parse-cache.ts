import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentKey } from './content-key.js';

export interface SourceFile {
  path: string;
  content: string;
}

/**
 * Parse results of files by their path and content, kept in `dir` between runs (the CLI bundle's
 * folder, so new code never reads results of old code): a `check` of unchanged files then
 * loads neither the YAML nor the markdown parser. Without `dir` (tests, in-process), nothing is
 * kept. Entries not used by a run are dropped, so the cache stays the size of one checkout.
 */
export async function parseWithCache<T>(
  dir: string | undefined,
  kind: string,
  files: readonly SourceFile[],
  parse: (missing: SourceFile[]) => Promise<T[]>,
): Promise<T[]> {
  if (!dir) return parse([...files]);
  const file = join(dir, `${kind}.json`);
  const cached = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Record<string, T>)
    .catch(() => ({}) as Record<string, T>);
  const keys = files.map(({ path, content }) => contentKey(`${path}\0${content}`));
  const missing = files.filter((_, i) => !Object.hasOwn(cached, keys[i]!));
  if (missing.length === 0) return keys.map((key) => cached[key]!);

  const parsed = await parse(missing);
  const fresh = new Map(missing.map((source, i) => [source, parsed[i]!]));
  const results = files.map((source, i) => (fresh.has(source) ? fresh.get(source)! : cached[keys[i]!]!));
  const kept = Object.fromEntries(keys.map((key, i) => [key, results[i]]));
  // Written whole and renamed: a concurrent run reads the old cache or the new one, never half of one.
  await mkdir(dir, { recursive: true })
    .then(() => writeFile(`${file}.${process.pid}`, JSON.stringify(kept)))
    .then(() => rename(`${file}.${process.pid}`, file))
    .catch(() => undefined); // a read-only install still checks, just without a cache
  return results;
}
