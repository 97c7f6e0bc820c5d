import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeWithCache } from './result-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'result-cache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A computation that counts its runs and answers with its inputs. */
function counted() {
  let runs = 0;
  return {
    runs: () => runs,
    compute: (inputs: unknown) => async () => {
      runs++;
      return { computedFrom: inputs, run: runs };
    },
  };
}

describe('computeWithCache', () => {
  it('computes once for the same inputs and again when any part of them changes', async () => {
    const work = counted();
    const inputs = { dir: '/repo/runbooks', files: [{ path: 'a.md', content: 'one' }] };
    const first = await computeWithCache(dir, 'check-outcome', inputs, work.compute(inputs));
    expect(await computeWithCache(dir, 'check-outcome', inputs, work.compute(inputs))).toEqual(first);
    expect(work.runs()).toBe(1);

    const edited = { ...inputs, files: [{ path: 'a.md', content: 'one!' }] };
    expect(await computeWithCache(dir, 'check-outcome', edited, work.compute(edited))).toEqual({
      computedFrom: edited,
      run: 2,
    });
    const elsewhere = { ...edited, dir: '/other/runbooks' };
    await computeWithCache(dir, 'check-outcome', elsewhere, work.compute(elsewhere));
    expect(work.runs()).toBe(3);
  });

  it('keeps one result per kind, and computes every time without a folder', async () => {
    const work = counted();
    await computeWithCache(dir, 'one', 1, work.compute(1));
    await computeWithCache(dir, 'two', 1, work.compute(1));
    await computeWithCache(dir, 'one', 1, work.compute(1));
    expect(work.runs()).toBe(2);

    await computeWithCache(undefined, 'one', 1, work.compute(1));
    await computeWithCache(undefined, 'one', 1, work.compute(1));
    expect(work.runs()).toBe(4);
  });
});
