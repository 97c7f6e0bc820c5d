/**
 * The notification "Send a test alert" posts through the webhook: shaped as
 * Alertmanager sends it, so a newcomer sees exactly what a real alert makes.
 * One fingerprint per second, so each click is an alert of its own.
 */
export function testAlertNotification(input: { actor: string; now: Date; externalURL: string }) {
  const labels = { alertname: 'AlertbookTestAlert', severity: 'info', sent_by: input.actor };
  const startsAt = input.now.toISOString();
  return {
    version: '4',
    groupKey: '{}:{alertname="AlertbookTestAlert"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alertbook-test',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: input.externalURL,
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {
          summary: `A test alert sent from the notebook by ${input.actor}`,
          description: 'Resolve it by hand. A real alert arrives the same way, from Alertmanager.',
        },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: Math.floor(input.now.getTime() / 1000)
          .toString(16)
          .padStart(16, '0'),
      },
    ],
  };
}
