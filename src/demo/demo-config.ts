import { parse, stringify } from 'yaml';
import { alertbookReceiver } from '../alertmanager/alertbook-receiver.js';

/** The shipped alerts the demo service trips; both have a runbook in runbooks/. */
export const DEMO_ALERTS = ['ApiHighErrorRate', 'ApiHighLatency'] as const;
/** The job the demo service is scraped as: the runbooks' queries select on it. */
export const DEMO_JOB = 'api';

/** How the demo copy of a rule differs from the shipped one: minutes become seconds, so it fits a demo. */
export const DEMO_FOR = '30s';
export const DEMO_RATE_WINDOW = '1m';
// The same durations in the words of the shipped descriptions ("over the last 5 minutes, for 15 minutes").
const DEMO_FOR_WORDS = '30 seconds';
const DEMO_RATE_WINDOW_WORDS = 'minute';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  [field: string]: unknown;
}

/**
 * The demo's copy of the shipped rule file: only DEMO_ALERTS, with `for` shortened to DEMO_FOR and
 * the 5-minute rate windows to DEMO_RATE_WINDOW (after 2 bad minutes a 5-minute window would keep
 * the error ratio above 5 % through the whole good phase: the alert would never resolve), and the
 * descriptions saying so. Thresholds, labels and the other annotations (runbook_url) stay as shipped.
 */
export function demoRules(shippedYaml: string): string {
  const shipped = parse(shippedYaml) as { groups: Array<{ name: string; rules: Rule[] }> };
  const groups = shipped.groups
    .map((group) => ({
      name: `${group.name}.demo`,
      rules: group.rules
        .filter((rule) => (DEMO_ALERTS as readonly string[]).includes(rule.alert ?? ''))
        .map((rule) => ({
          ...rule,
          expr: rule.expr.replaceAll('[5m]', `[${DEMO_RATE_WINDOW}]`),
          ...(rule.for ? { for: DEMO_FOR } : {}),
          ...(isTextRecord(rule.annotations) ? { annotations: demoAnnotations(rule.annotations) } : {}),
        })),
    }))
    .filter((group) => group.rules.length > 0);
  const missing = DEMO_ALERTS.filter((name) => !groups.some((g) => g.rules.some((r) => r.alert === name)));
  if (missing.length > 0) throw new Error(`the shipped rules no longer define ${missing.join(', ')}`);
  return `# Written by npm run demo from runbooks/rules/web-api.yaml: for ${DEMO_FOR}, rate windows ${DEMO_RATE_WINDOW}.\n${stringify({ groups }, { lineWidth: 0 })}`;
}

/** The description in the demo's durations: someone watching the demo reads what the rule does. */
function demoAnnotations(annotations: Record<string, string>): Record<string, string> {
  const { description } = annotations;
  if (description === undefined) return annotations;
  return {
    ...annotations,
    description: description
      .replaceAll(/over the last 5 minutes/g, `over the last ${DEMO_RATE_WINDOW_WORDS}`)
      .replaceAll(/for \d+ minutes/g, `for ${DEMO_FOR_WORDS}`),
  };
}

function isTextRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

export function prometheusConfig(options: { serviceUrl: string; alertmanagerUrl: string; ruleFile: string }): string {
  return stringify({
    global: { scrape_interval: '5s', evaluation_interval: '5s' },
    rule_files: [options.ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(options.alertmanagerUrl).host] }] }] },
    scrape_configs: [{ job_name: DEMO_JOB, static_configs: [{ targets: [new URL(options.serviceUrl).host] }] }],
  });
}

export function alertmanagerConfig(options: { webhookUrl: string; webhookToken: string }): string {
  return stringify({
    route: {
      receiver: 'alertbook',
      group_by: ['alertname', 'job'],
      group_wait: '5s',
      group_interval: '15s',
      repeat_interval: '1h',
    },
    // As the shipped rules advise: a critical alert silences its warning twin.
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['alertname', 'job'],
      },
    ],
    receivers: [alertbookReceiver(options)],
  });
}
