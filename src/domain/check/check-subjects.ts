import type { ParsedRule, ParsedRuleFile } from '../rules/parse-rule-file.js';
import type { ParsedRunbook } from '../runbooks/runbook.js';

/** A rule with the file it was read from. */
export interface LocatedRule {
  file: string;
  rule: ParsedRule;
}

/** A runbook with the file it was read from. */
export interface LocatedRunbook {
  file: string;
  runbook: ParsedRunbook;
}

export function locateRunbooks(runbooksDir: string, runbooks: readonly ParsedRunbook[]): LocatedRunbook[] {
  const prefix = runbooksDir === '.' || runbooksDir === '' ? '' : `${runbooksDir.replace(/\/+$/, '')}/`;
  return runbooks.map((runbook) => ({ file: prefix + runbook.path, runbook }));
}

export function locateRules(ruleFiles: readonly ParsedRuleFile[]): LocatedRule[] {
  return ruleFiles.flatMap((ruleFile) => ruleFile.rules.map((rule) => ({ file: ruleFile.path, rule })));
}

/** The labels every alert from this rule carries for sure: its static labels and its name. */
export function staticAlertLabels(rule: ParsedRule): Record<string, string> {
  return { ...rule.labels, alertname: rule.name };
}

/**
 * The 1-based line of a top-level frontmatter key (`alerts`), or of the line
 * under it that mentions `mention` (one alertname in a block list): problems
 * about frontmatter then point at their cause. 1 when the key is not written.
 */
export function frontmatterLine(runbook: ParsedRunbook, key: string, mention?: string): number {
  const lines = runbook.content.split(/\r?\n/);
  const closing = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line));
  const end = closing < 0 ? lines.length : closing;
  const keyLine = lines.findIndex((line, i) => i > 0 && i < end && line.startsWith(`${key}:`));
  if (keyLine < 0) return 1;
  if (mention === undefined) return keyLine + 1;
  // A whole word: the line of `Disk` is not the line of `DiskFull`.
  const word = new RegExp(`(?<![\\w:])${mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`);
  for (let i = keyLine; i < end; i++) {
    if (i > keyLine && /^\S/.test(lines[i] ?? '')) break; // the next top-level key
    if (word.test(lines[i] ?? '')) return i + 1;
  }
  return keyLine + 1;
}
