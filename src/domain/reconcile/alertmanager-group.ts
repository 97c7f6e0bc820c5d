import type { ApiAlertGroup } from '../../alertmanager/alertmanager-client.js';

// Firing alerts carry Go's zero time as endsAt in a webhook body (PROTOCOL-FACTS §1.2).
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go's regexp.QuoteMeta: a webhook names its receiver this way, and the API's receiver filter is a regex. */
export function quoteMeta(name: string): string {
  return name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A label set as Go's model.LabelSet.String() writes it in a groupKey: `{a="1", b="2"}`, sorted by name. */
export function formatLabelSet(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}

/** The route part of a groupKey (`{}/{team="db"}`), given the group's labels. Null when it does not end with them. */
export function routeKeyOf(groupKey: string, groupLabels: Record<string, string>): string | null {
  const suffix = `:${formatLabelSet(groupLabels)}`;
  return groupKey.endsWith(suffix) ? groupKey.slice(0, -suffix.length) : null;
}

/**
 * The webhook body Alertmanager would send for the firing alerts of `group`:
 * intake stores it exactly as a notification (same group identity, same
 * occurrence keys), so a later real notification finds it already there.
 */
export function webhookBodyOf(group: ApiAlertGroup, groupKey: string, externalURL: string): Record<string, unknown> {
  const alerts = group.alerts.map((a) => ({
    status: 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    endsAt: GO_ZERO_TIME,
    generatorURL: a.generatorURL ?? '',
    fingerprint: a.fingerprint,
  }));
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: quoteMeta(group.receiver.name),
    groupLabels: group.labels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL,
    alerts,
  };
}

/** The pairs every map has (Alertmanager's commonLabels / commonAnnotations). */
function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}
