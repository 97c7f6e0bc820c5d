import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a result is kept with: everything it was computed from, serialised, compared whole on the next run. */
interface CachedResult<T> {
  inputs: string;
  result: T;
}

/**
 * The result of a computation that depends on nothing but `inputs` (plain JSON: options and file texts), kept in
 * `dir` between runs as `<kind>.json`: a run with the same inputs reads the result instead of computing it. One
 * entry per kind, so the cache stays the size of one run. Without `dir` (tests, in-process), always computed.
 *
 * Why: a `check` of an unchanged checkout is mostly start-up; parsing the per-file cache (parse-cache.ts) and
 * running every check cold cost it more than reading the files it must read anyway.
 */
export async function computeWithCache<T>(
  dir: string | undefined,
  kind: string,
  inputs: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  if (!dir) return compute();
  const file = join(dir, `${kind}.json`);
  // Kept serialised: comparing them is then one string comparison.
  const serialisedInputs = JSON.stringify(inputs);
  const cached = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as CachedResult<T>)
    .catch(() => null);
  if (cached?.inputs === serialisedInputs) return cached.result;

  const result = await compute();
  // Written whole and renamed: a concurrent run reads the old result or the new one, never half of one.
  await mkdir(dir, { recursive: true })
    .then(() => writeFile(`${file}.${process.pid}`, JSON.stringify({ inputs: serialisedInputs, result })))
    .then(() => rename(`${file}.${process.pid}`, file))
    .catch(() => undefined); // a read-only install still checks, just without a cache
  return result;
}
