import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWithCache, type SourceFile } from './parse-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parse-cache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A parser that records which files it was asked for. */
function recordingParser() {
  const asked: string[][] = [];
  const parse = async (files: SourceFile[]) => {
    asked.push(files.map((file) => file.path));
    return files.map((file) => `parsed ${file.path}: ${file.content}`);
  };
  return { asked, parse };
}

describe('parseWithCache', () => {
  it('parses only the files whose text changed since the last run, in the order given', async () => {
    const first = recordingParser();
    const files = [
      { path: 'a.md', content: 'one' },
      { path: 'b.md', content: 'two' },
    ];
    expect(await parseWithCache(dir, 'runbooks', files, first.parse)).toEqual(['parsed a.md: one', 'parsed b.md: two']);

    const second = recordingParser();
    const edited = [
      { path: 'a.md', content: 'one' },
      { path: 'b.md', content: 'TWO' },
    ];
    expect(await parseWithCache(dir, 'runbooks', edited, second.parse)).toEqual([
      'parsed a.md: one',
      'parsed b.md: TWO',
    ]);
    expect(second.asked).toEqual([['b.md']]);

    const third = recordingParser();
    expect(await parseWithCache(dir, 'runbooks', edited, third.parse)).toEqual([
      'parsed a.md: one',
      'parsed b.md: TWO',
    ]);
    expect(third.asked).toEqual([]);
  });

  it('drops entries of files a run no longer has, and a renamed file with the same text is parsed again', async () => {
    await parseWithCache(dir, 'runbooks', [{ path: 'a.md', content: 'same' }], recordingParser().parse);
    const renamed = recordingParser();
    await parseWithCache(dir, 'runbooks', [{ path: 'c.md', content: 'same' }], renamed.parse);
    expect(renamed.asked).toEqual([['c.md']]);

    const back = recordingParser();
    await parseWithCache(dir, 'runbooks', [{ path: 'a.md', content: 'same' }], back.parse);
    expect(back.asked).toEqual([['a.md']]);
  });

  it('keeps each kind apart and, without a folder, parses everything every time', async () => {
    await parseWithCache(dir, 'runbooks', [{ path: 'x', content: '1' }], recordingParser().parse);
    const rules = recordingParser();
    await parseWithCache(dir, 'rule-files', [{ path: 'x', content: '1' }], rules.parse);
    expect(rules.asked).toEqual([['x']]);

    const uncached = recordingParser();
    await parseWithCache(undefined, 'runbooks', [{ path: 'x', content: '1' }], uncached.parse);
    await parseWithCache(undefined, 'runbooks', [{ path: 'x', content: '1' }], uncached.parse);
    expect(uncached.asked).toEqual([['x'], ['x']]);
  });
});
