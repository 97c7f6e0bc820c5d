import { existsSync } from 'node:fs';
import type { Db } from '../db/client.js';
import { watchDebounced } from '../debounced-watch.js';
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
  private watcher: { close(): Promise<void> } | null = null;

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

  /** Reloads after a burst of changes in the folder (see watchDebounced). Resolves once the folder is watched. */
  async watch(): Promise<void> {
    this.watcher = await watchDebounced([this.options.dir], () => {
      this.reload().catch((error) => this.options.logger.error('runbook reload failed', { error: String(error) }));
    });
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    await this.queue.catch(() => {});
  }
}
