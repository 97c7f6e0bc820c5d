import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { knownRulesOfFile, type KnownRule } from '../domain/tuning/known-rules.js';

/**
 * The alerting rules the service knows: every file matching the globs
 * (`ALERTBOOK_RULES`, by default the runbooks' rules/ folder), read again on
 * reload(). Paths are reported relative to `cwd`.
 */
export class RuleFiles {
  private rules: KnownRule[] = [];

  constructor(private readonly options: { patterns: string[]; cwd: string }) {}

  async reload(): Promise<{ rules: number }> {
    const paths = (await glob(this.options.patterns, { cwd: this.options.cwd })).sort();
    const files = await Promise.all(
      paths.map(async (path) => ({ path, content: await readFile(join(this.options.cwd, path), 'utf8') })),
    );
    this.rules = files.flatMap(knownRulesOfFile);
    return { rules: this.rules.length };
  }

  list(): readonly KnownRule[] {
    return this.rules;
  }
}
