import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchDebounced } from './debounced-watch.js';

describe('watchDebounced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alertbook-watch-'));
  mkdirSync(join(dir, 'rules'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** As editors and `git apply` save: a new file renamed over the old one. */
  const save = (content: string) => {
    writeFileSync(join(dir, 'rules/.save'), content);
    renameSync(join(dir, 'rules/.save'), join(dir, 'rules/api.yml'));
  };

  it('calls back after a change; nested watchers, one given a relative path, both close', async () => {
    writeFileSync(join(dir, 'rules/api.yml'), 'a');
    // The runbooks folder (RUNBOOKS_DIR, relative) and the rules inside it (ALERTBOOK_RULES) are watched at once.
    const runbooksChanged = vi.fn();
    const rulesChanged = vi.fn();
    const runbooks = await watchDebounced([relative(process.cwd(), dir)], runbooksChanged, 50);
    const rules = await watchDebounced([join(dir, 'rules')], rulesChanged, 50);
    save('b');
    await vi.waitFor(() => expect(rulesChanged).toHaveBeenCalled(), { timeout: 5000 });
    await vi.waitFor(() => expect(runbooksChanged).toHaveBeenCalled(), { timeout: 5000 });
    // A relative and an absolute spelling of one folder once made the second close() throw (chokidar shares fs watchers).
    await runbooks.close();
    await expect(rules.close()).resolves.toBeUndefined();
  });
});
