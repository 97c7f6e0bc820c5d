import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { glob } from 'tinyglobby';
import { parseRuleFile } from '../domain/rules/parse-rule-file.js';
import { knownRulesOfFile, type KnownRule } from '../domain/tuning/known-rules.js';
import type { Logger } from '../logger.js';

export type RulesListener = (rules: readonly KnownRule[]) => Promise<void> | void;

export type ReloadSummary = {
  rules: number;
  /** Files with errors this time: their rules are the last ones that loaded without errors. */
  keptLastGood: string[];
};

/**
 * The alerting rules the service knows: every file matching the globs
 * (`ALERTBOOK_RULES`, by default the runbooks' rules/ folder), read again on
 * reload() and, once watch() is called, whenever a file changes. A file that
 * has errors keeps the rules it last loaded without errors, as Prometheus
 * keeps its last good rules when a reload fails. Paths are reported relative to `cwd`.
 */
export class RuleFiles {
  private rules: KnownRule[] = [];
  private lastGood = new Map<string, KnownRule[]>();
  private readonly listeners = new Set<RulesListener>();
  // Reloads run one after another, so the last one reflects the files as they were when it was asked for.
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: { patterns: string[]; cwd: string; logger?: Pick<Logger, 'info' | 'warn' | 'error'> },
  ) {}

  reload(): Promise<ReloadSummary> {
    const next = this.queue.catch(() => {}).then(() => this.load());
    this.queue = next;
    return next;
  }

  private async load(): Promise<ReloadSummary> {
    const paths = (await glob(this.options.patterns, { cwd: this.options.cwd })).sort();
    const files = (await Promise.all(paths.map(async (path) => ({ path, content: await this.read(path) })))).filter(
      (file): file is { path: string; content: string } => file.content !== null,
    );
    const keptLastGood: string[] = [];
    const lastGood = new Map<string, KnownRule[]>();
    for (const file of files) {
      const broken = parseRuleFile(file).problems.some((problem) => problem.severity === 'error');
      const previous = this.lastGood.get(file.path);
      if (broken && previous) keptLastGood.push(file.path);
      lastGood.set(file.path, broken && previous ? previous : knownRulesOfFile(file));
    }
    this.lastGood = lastGood;
    this.rules = [...lastGood.values()].flat();
    const summary = { rules: this.rules.length, keptLastGood };
    if (keptLastGood.length > 0)
      this.options.logger?.warn('rule files have errors: their last good rules stay loaded', { files: keptLastGood });
    for (const listener of this.listeners) {
      try {
        await listener(this.rules);
      } catch (error) {
        this.options.logger?.error('a rules listener failed', { error: String(error) });
      }
    }
    return summary;
  }

  list(): readonly KnownRule[] {
    return this.rules;
  }

  /** A rule file's content now (path as listed), or null when it is gone. */
  async read(path: string): Promise<string | null> {
    try {
      return await readFile(join(this.options.cwd, path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Called with the rules after every reload, awaited before reload() resolves. */
  onReload(listener: RulesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reloads 300 ms after the last change under the patterns' folders (editors
   * write in bursts). Resolves once the watcher sees them, so no change is missed.
   */
  async watch(): Promise<void> {
    const folders = [...new Set(this.options.patterns.map(staticFolder))]
      .map((folder) => join(this.options.cwd, folder))
      .filter((folder) => existsSync(folder));
    if (folders.length === 0) return;
    const watcher = watch(folders, { ignoreInitial: true, ignored: (path) => path.includes('node_modules') });
    this.watcher = watcher;
    watcher.on('all', () => {
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.reload()
          .then((summary) => this.options.logger?.info('alerting rules reloaded', { ...summary }))
          .catch((error) => this.options.logger?.error('rule reload failed', { error: String(error) }));
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

/** The folder part of a glob before its first wildcard segment (`runbooks/rules/**\/*.yml` → `runbooks/rules`). */
export function staticFolder(pattern: string): string {
  const segments = pattern.split('/');
  const wild = segments.findIndex((segment) => /[*?[\]{}()!]/.test(segment));
  const folder = wild === -1 ? segments.slice(0, -1) : segments.slice(0, wild);
  return folder.join('/') || '.';
}
