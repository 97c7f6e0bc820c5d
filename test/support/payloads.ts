/**
 * Builders for Alertmanager v4 webhook bodies, shaped exactly like the real
 * ones in test/fixtures/alertmanager/ (every key present, Go zero time for
 * "not ended").
 */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertSpec {
  alertname?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: 'firing' | 'resolved';
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

export function amAlert(spec: AlertSpec = {}) {
  const status = spec.status ?? 'firing';
  const labels = { alertname: spec.alertname ?? 'HighErrorRate', severity: 'critical', job: 'api', ...spec.labels };
  return {
    status,
    labels,
    annotations: { summary: `${labels.alertname} on ${labels.job}`, ...spec.annotations } as Record<string, string>,
    startsAt: spec.startsAt ?? '2026-11-22T07:29:51.374068Z',
    endsAt: spec.endsAt ?? (status === 'resolved' ? '2026-11-22T07:45:00Z' : GO_ZERO_TIME),
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up+%3D%3D+0\u0026g0.tab=1',
    fingerprint: spec.fingerprint ?? fingerprintOf(labels),
  };
}

export function amNotification(
  alerts: ReturnType<typeof amAlert>[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const alertname = alerts[0]?.labels.alertname ?? 'HighErrorRate';
  return {
    receiver: 'alertbook',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname },
    commonLabels: { alertname },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="${alertname}"}`,
    truncatedAlerts: 0,
    ...overrides,
  };
}

// Stands in for Alertmanager's label hash: stable per label set, 16 hex chars.
function fingerprintOf(labels: Record<string, string>): string {
  let h = 0xcbf29ce484222325n;
  for (const [k, v] of Object.entries(labels).sort()) {
    for (const ch of `${k}=${v};`) h = BigInt.asUintN(64, (h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n);
  }
  return h.toString(16).padStart(16, '0');
}
