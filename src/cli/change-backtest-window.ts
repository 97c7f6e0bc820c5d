/**
 * The window `check --changed-since` backtests old and new over. Its own module: the report formats need it on
 * every `check`, and importing it from tuned-rule-changes.ts would load the whole tuning code (and YAML, zod) into
 * a run that backtests nothing.
 */
export const CHANGE_BACKTEST_WINDOW = '7d';
