import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SourceFile {
  path: string;
  content: string;
}

/** What the cache keeps of one file: the text it was parsed from, and the result. */
interface CacheEntry<T> {
  content: string;
  result: T;
}

/**
 * Parse results of files by their path and content, kept in `dir` between runs (the CLI bundle's
 * folder, so new code never reads results of old code): a `check` of unchanged files then
 * loads neither the YAML nor the markdown parser. Without `dir` (tests, in-process), nothing is
 * kept. Entries not used by a run are dropped, so the cache stays the size of one checkout.
 *
 * An entry keeps the file's text and is reused when the text is equal: one native string
 * comparison, where hashing the text in JavaScript cost a warm run more than its checking.
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
    .then((text) => new Map(Object.entries(JSON.parse(text) as Record<string, CacheEntry<T>>)))
    .catch(() => new Map<string, CacheEntry<T>>());
  const isCached = (source: SourceFile) => cached.get(source.path)?.content === source.content;
  const missing = files.filter((source) => !isCached(source));
  if (missing.length === 0) return files.map((source) => cached.get(source.path)!.result);

  const parsed = await parse(missing);
  const fresh = new Map(missing.map((source, i) => [source, parsed[i]!]));
  const results = files.map((source) => (fresh.has(source) ? fresh.get(source)! : cached.get(source.path)!.result));
  const kept = Object.fromEntries(
    files.map((source, i) => [source.path, { content: source.content, result: results[i] }]),
  );
  // Written whole and renamed: a concurrent run reads the old cache or the new one, never half of one.
  await mkdir(dir, { recursive: true })
    .then(() => writeFile(`${file}.${process.pid}`, JSON.stringify(kept)))
    .then(() => rename(`${file}.${process.pid}`, file))
    .catch(() => undefined); // a read-only install still checks, just without a cache
  return results;
}
