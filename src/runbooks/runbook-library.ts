import { existsSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import type { Db } from '../db/client.js';
import { RunbookCatalogue } from '../domain/runbooks/catalogue.js';
import { syncRunbooks, type SyncSummary } from '../domain/runbooks/sync-runbooks.js';
import type { Logger } from '../logger.js';
import { loadRunbooks } from './load-runbooks.js';

export interface ReloadSummary extends SyncSummary {
  /** Runbooks whose files have problems of severity error (they still load). */
  withErrors: string[];
}

/**
 * The runbooks folder kept in step with the database and the in-memory
 * catalogue intake links alerts with: on start, on change (debounced), and on
 * demand.
 */
export class RunbookLibrary {
  readonly catalogue = new RunbookCatalogue();
  // Reloads run one after another: each starts after the previous one ends, so
  // the last one always reflects the folder as it was when it was asked for.
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;

  constructor(private readonly options: { dir: string; db: Db; logger: Logger }) {}

  reload(): Promise<ReloadSummary> {
    const next = this.queue.catch(() => {}).then(() => this.load());
    this.queue = next;
    return next;
  }

  private async load(): Promise<ReloadSummary> {
    const files = existsSync(this.options.dir) ? await loadRunbooks(this.options.dir) : [];
    const summary = await syncRunbooks({ ctx: { db: this.options.db }, input: { files } });
    this.catalogue.replace(files.map((f) => f.parsed));
    const withErrors = files
      .filter((f) => f.parsed.problems.some((p) => p.severity === 'error'))
      .map((f) => f.parsed.path);
    this.options.logger.info('runbooks loaded', { dir: this.options.dir, ...summary, withErrors });
    return { ...summary, withErrors };
  }

  /**
   * Reloads 300 ms after the last change in the folder (editors write in
   * bursts). Resolves once the watcher sees the folder, so no change is missed.
   */
  async watch(): Promise<void> {
    const watcher = watch(this.options.dir, { ignoreInitial: true, ignored: (path) => path.includes('node_modules') });
    this.watcher = watcher;
    watcher.on('all', () => {
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.reload().catch((error) => this.options.logger.error('runbook reload failed', { error: String(error) }));
      }, 300);
    });
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    await this.watcher?.close();
    await this.queue.catch(() => {});
  }
}
