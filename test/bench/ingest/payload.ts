import { labelsFingerprint } from '../../../src/domain/incidents/notification.js';
import { fixture } from '../../support/fixtures.js';

/** The Alertmanager v4 webhook body (shared/design/PROTOCOL-FACTS.md §1.1), as sent on the wire. */
export interface AlertmanagerMessage {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

// A real capture from Alertmanager 0.25 fed by a Prometheus rule: every storm
// notification keeps its envelope, route and label/annotation shape.
const CAPTURE = fixture<AlertmanagerMessage>('alertmanager/am025-lab_from_prometheus_firing.json');
const CAPTURED_ALERT = CAPTURE.alerts[0]!;
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const STORM_START_MS = Date.parse('2026-01-05T03:00:00Z');

/**
 * Notification `index` of a firing storm: its own group (one `job` per
 * notification, hence one incident each) and `alertCount` targets down, each
 * with its own fingerprint and a startsAt no other notification uses, so
 * intake can never take its duplicate shortcut. `run` keeps two runs apart.
 */
export function stormNotification({
  run,
  index,
  alertCount,
}: {
  run: string;
  index: number;
  alertCount: number;
}): AlertmanagerMessage {
  const job = `node-exporter-${run}-${index}`;
  const groupLabels = { alertname: CAPTURED_ALERT.labels.alertname!, job };
  const startsAtMs = STORM_START_MS + index * 60_000;
  const alerts = Array.from({ length: alertCount }, (_, target): AlertmanagerAlert => {
    const instance = `10.${index % 256}.${target >> 8}.${target & 255}:9100`;
    const labels = {
      ...groupLabels,
      cluster: CAPTURED_ALERT.labels.cluster!,
      endpoint: 'https',
      instance,
      namespace: 'monitoring',
      pod: `node-exporter-${index.toString(36)}-${target.toString(36)}`,
      prometheus: 'monitoring/k8s',
      service: 'node-exporter',
      severity: 'critical',
    };
    return {
      status: 'firing',
      labels,
      annotations: {
        description: 'up == 0',
        runbook_url: CAPTURED_ALERT.annotations.runbook_url!,
        summary: `Target ${instance} of job ${job} is down`,
      },
      // Targets of one scrape round go down a few milliseconds apart.
      startsAt: new Date(startsAtMs + target).toISOString(),
      endsAt: GO_ZERO_TIME,
      generatorURL: `${CAPTURE.externalURL.replace(':9093', ':9090')}/graph?g0.expr=up%7Bjob%3D%22${job}%22%7D+%3D%3D+0&g0.tab=1`,
      fingerprint: labelsFingerprint(labels),
    };
  });
  return {
    ...CAPTURE,
    groupKey: `{}/{scenario="prom"}:{alertname="${groupLabels.alertname}", job="${job}"}`,
    status: 'firing',
    groupLabels,
    commonLabels: commonEntries(alerts.map((a) => a.labels)),
    commonAnnotations: commonEntries(alerts.map((a) => a.annotations)),
    alerts,
  };
}

/** The pairs every set shares: how Alertmanager derives commonLabels and commonAnnotations. */
function commonEntries(sets: Record<string, string>[]): Record<string, string> {
  const [first = {}, ...rest] = sets;
  return Object.fromEntries(Object.entries(first).filter(([key, value]) => rest.every((set) => set[key] === value)));
}
