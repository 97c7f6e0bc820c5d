import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backtestRule } from '../domain/tuning/backtest-rule.js';
import { formatDuration } from '../domain/tuning/format-duration.js';
import { knownRulesOfFile, type KnownRule } from '../domain/tuning/known-rules.js';
import { NO_RECORDED_INCIDENTS, type RecordedIncident } from '../domain/tuning/recorded-incidents.js';
import { parsePrometheusDuration } from '../prometheus/duration.js';
import { Datasources } from '../prometheus/datasources.js';
import type { AlertbookApi } from './alertbook-api.js';
import { CHANGE_BACKTEST_WINDOW } from './change-backtest-window.js';
import { fileAtRef } from './git-changes.js';
import { incidentsOverApi } from './incidents-over-api.js';

const DEFAULT_EVALUATION_INTERVAL_SECONDS = 60;

/** An alerting rule whose thresholds, `for` or `keep_firing_for` changed since the ref, backtested old versus new. */
export interface TunedRuleChange {
  alertname: string;
  group: string;
  file: string;
  line: number;
  /** e.g. `threshold 0.5 → 0.31, for 1m → 2m`. */
  change: string;
  firings: { before: number; after: number } | null;
  /** Acknowledged incidents the new rule would not have fired for; null: no --server, not known. */
  missedIncidents: RecordedIncident[] | null;
  /** Why there is no backtest (Prometheus unreachable, the expression refused). */
  backtestError: string | null;
  /** The recorded decision whose to-values the new rule holds. */
  decision: { id: number; status: string; reason: string; actor: string | null } | null;
}

interface Decision {
  id: number;
  group: string;
  thresholdIndex: number;
  status: string;
  reason: string;
  actor: string | null;
  to: { threshold?: number | null; for?: string | null; keepFiringFor?: string | null };
}

/**
 * For every alerting rule of the rule files that existed at `ref` and whose
 * threshold values or durations differ now: what the old and the new rule
 * would have done over the last 7 days on `prometheus`, the acknowledged
 * incidents the new one misses (read from `api`), and the decision that asked
 * for it (from `api`'s decisions).
 */
export async function tunedRuleChanges(input: {
  cwd: string;
  ref: string;
  ruleFiles: string[];
  prometheus: string;
  api: AlertbookApi | null;
  now: number;
}): Promise<TunedRuleChange[]> {
  const pairs: { before: KnownRule; after: KnownRule }[] = [];
  for (const path of input.ruleFiles) {
    const old = await fileAtRef(input.cwd, input.ref, path);
    if (old === null) continue;
    const before = knownRulesOfFile({ path, content: old });
    const after = knownRulesOfFile({ path, content: await readFile(join(input.cwd, path), 'utf8') });
    for (const [index, rule] of after.entries()) {
      const same = (r: KnownRule) => r.group === rule.group && r.alertname === rule.alertname;
      const ordinal = after.slice(0, index).filter(same).length;
      const previous = before.filter(same)[ordinal];
      if (previous && describeChange(previous, rule)) pairs.push({ before: previous, after: rule });
    }
  }
  const datasources = new Datasources([{ name: 'default', url: input.prometheus }]);
  const incidents = input.api ? incidentsOverApi(input.api) : NO_RECORDED_INCIDENTS;
  return Promise.all(
    pairs.map(async ({ before, after }): Promise<TunedRuleChange> => {
      const base = {
        alertname: after.alertname,
        group: after.group,
        file: after.file,
        line: after.line,
        change: describeChange(before, after)!,
        decision: input.api ? await matchingDecision(input.api, after) : null,
      };
      try {
        const result = await backtestRule({
          rule: after,
          body: {
            window: CHANGE_BACKTEST_WINDOW,
            candidates: [
              {
                expr: before.expr,
                for: formatDuration(before.forSeconds),
                keepFiringFor: formatDuration(before.keepFiringForSeconds),
              },
            ],
          },
          datasources,
          incidents,
          now: input.now,
          defaultIntervalSeconds: DEFAULT_EVALUATION_INTERVAL_SECONDS,
        });
        return {
          ...base,
          firings: { before: result.candidates[0]!.firings, after: result.current.firings },
          missedIncidents: input.api ? result.current.missedIncidents : null,
          backtestError: null,
        };
      } catch (error) {
        return { ...base, firings: null, missedIncidents: null, backtestError: (error as Error).message };
      }
    }),
  );
}

/** `threshold 0.5 → 0.31, for 1m → 2m`; null when neither a threshold value nor a duration changed. */
function describeChange(before: KnownRule, after: KnownRule): string | null {
  const parts: string[] = [];
  const values = (rule: KnownRule) => rule.thresholds.map((t) => t.value);
  if (values(before).join() !== values(after).join()) {
    parts.push(`threshold ${values(before).join(', ') || 'none'} → ${values(after).join(', ') || 'none'}`);
  }
  if (before.forSeconds !== after.forSeconds) {
    parts.push(`for ${formatDuration(before.forSeconds)} → ${formatDuration(after.forSeconds)}`);
  }
  if (before.keepFiringForSeconds !== after.keepFiringForSeconds) {
    parts.push(
      `keep_firing_for ${formatDuration(before.keepFiringForSeconds)} → ${formatDuration(after.keepFiringForSeconds)}`,
    );
  }
  return parts.length ? parts.join(', ') : null;
}

/** The newest decision for the rule whose to-values the rule now holds; a server without decisions has none. */
async function matchingDecision(api: AlertbookApi, rule: KnownRule): Promise<TunedRuleChange['decision']> {
  const { decisions } = await api
    .json<{ decisions: Decision[] }>('/tuning/decisions', { query: { alertname: rule.alertname } })
    .catch((error: Error) => {
      // A server from before the decisions API answers 404: no decision, not a failed check.
      if (error.message.includes(' answered 404:')) return { decisions: [] as Decision[] };
      throw error;
    });
  const holds = (decision: Decision) => {
    const { to } = decision;
    const seconds = (text: string | null | undefined) => (text ? parsePrometheusDuration(text) : null);
    return (
      decision.group === rule.group &&
      (to.threshold == null || rule.thresholds[decision.thresholdIndex]?.value === to.threshold) &&
      (to.for == null || seconds(to.for) === rule.forSeconds) &&
      (to.keepFiringFor == null || seconds(to.keepFiringFor) === rule.keepFiringForSeconds)
    );
  };
  const found = decisions.find(holds);
  return found ? { id: found.id, status: found.status, reason: found.reason, actor: found.actor } : null;
}
