import type { RunbookLink, RunbookLinker } from '../incidents/runbook-linker.js';
import { RunbookFinder } from './link-runbook.js';
import type { ParsedRunbook } from './runbook.js';

/**
 * The runbooks as they are on disk right now, in memory: what intake links
 * incoming alerts to (synchronously, inside its transaction). Replaced whole
 * on every reload, so a reader never sees half a reload.
 */
export class RunbookCatalogue implements RunbookLinker {
  private byId = new Map<string, ParsedRunbook>();
  private finder = new RunbookFinder([]);

  replace(runbooks: ParsedRunbook[]): void {
    this.byId = new Map(runbooks.map((r) => [r.id, r]));
    this.finder = new RunbookFinder(runbooks);
  }

  link(alert: { labels: Record<string, string>; annotations: Record<string, string> }): RunbookLink | null {
    const found = this.finder.find(alert);
    if (!found) return null;
    if (found.kind === 'external') return found;
    const runbook = this.byId.get(found.id);
    return runbook ? { kind: 'runbook', runbookId: runbook.id, sha: runbook.sha } : null;
  }
}
