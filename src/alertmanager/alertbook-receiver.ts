/**
 * The Alertmanager receiver that posts to Alertbook's webhook (README, "Wire Alertmanager"): resolved
 * notifications included, the token as a Bearer credential. Written into the configs of the
 * Alertmanagers that `npm run demo` and the tests start.
 */
export function alertbookReceiver(options: { webhookUrl: string; webhookToken: string }) {
  return {
    name: 'alertbook',
    webhook_configs: [
      {
        url: options.webhookUrl,
        send_resolved: true,
        http_config: { authorization: { credentials: options.webhookToken } },
      },
    ],
  };
}
