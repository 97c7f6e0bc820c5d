import { CHANGE_BACKTEST_WINDOW } from '../change-backtest-window.js';
import { summaryLine, tuningVerdict, type CheckOutcome } from './check-outcome.js';

/** `file:line:col: severity code: message`, the shape editors and CI logs link. */
export function formatText(outcome: CheckOutcome): string {
  const lines = outcome.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message}`);
  const tuning = (outcome.tuning ?? []).map(
    (t) =>
      `${t.file}:${t.line}: ${t.alertname}: ${t.change}: ${tuningVerdict(t, CHANGE_BACKTEST_WINDOW)}` +
      (t.decision ? ` (decision ${t.decision.id}, ${t.decision.status}: ${t.decision.reason})` : ''),
  );
  return `${[...lines, ...tuning, summaryLine(outcome)].join('\n')}\n`;
}
