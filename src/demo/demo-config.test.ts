import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_DIR } from '../project-dir.js';
import { DEMO_ALERTS, DEMO_FOR, demoRules } from './demo-config.js';

interface DemoRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const shipped = readFileSync(join(PROJECT_DIR, 'runbooks', 'rules', 'web-api.yaml'), 'utf8');

describe('demoRules', () => {
  const rules = (parse(demoRules(shipped)) as { groups: Array<{ rules: DemoRule[] }> }).groups.flatMap(
    (group) => group.rules,
  );

  it('keeps only the demo alerts, every severity of them, with their thresholds, labels and runbook links', () => {
    expect(new Set(rules.map((rule) => rule.alert))).toEqual(new Set(DEMO_ALERTS));
    expect(rules.map((rule) => rule.labels.severity)).toEqual(['warning', 'critical', 'warning', 'critical']);
    expect(rules.map((rule) => rule.expr.match(/> ([\d.]+)\s*$/)?.[1])).toEqual(['0.01', '0.05', '1', '3']);
    expect(rules.every((rule) => /^\/runbooks\/api-/.test(rule.annotations.runbook_url ?? ''))).toBe(true);
  });

  it('shortens `for` and the 5-minute rate windows so an alert fires and resolves within a demo phase', () => {
    expect(rules.every((rule) => rule.for === DEMO_FOR)).toBe(true);
    expect(rules.some((rule) => rule.expr.includes('[5m]'))).toBe(false);
    expect(rules.every((rule) => rule.expr.includes('[1m]'))).toBe(true);
  });

  it("says the demo's durations in the descriptions, not the shipped ones", () => {
    const descriptions = rules.map((rule) => rule.annotations.description ?? '');
    expect(descriptions.every((text) => text.includes('for 30 seconds'))).toBe(true);
    expect(descriptions.some((text) => /minutes/.test(text))).toBe(false);
    expect(descriptions[0]).toBe(
      "More than 1 % of {{ $labels.job }}'s HTTP requests returned a 5xx status over the last minute, for 30 seconds.",
    );
  });

  it('says so when the shipped file no longer has an alert the demo trips', () => {
    expect(() => demoRules(shipped.replaceAll('ApiHighLatency', 'ApiSlow'))).toThrow(/ApiHighLatency/);
  });
});
