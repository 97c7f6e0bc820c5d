import type { TestApp } from './app.js';

const AS_BEN = { method: 'POST', headers: { 'x-alertbook-user': 'Ben' } };

/**
 * Ben proposes a new threshold for an alert as the tune panel does: the rule's
 * 7-day baseline and a backtest of the threshold are stored as evidence, then
 * `POST /tuning/decisions` cites both. The answer is the test's to check.
 */
export async function proposeThreshold(
  app: TestApp,
  proposal: { alertname: string; threshold: number; reason: string; incidentId: number },
): Promise<Response> {
  const evidence = async (kind: 'baseline' | 'backtest', json: object) =>
    ((await (await app.api(`/rules/${proposal.alertname}/${kind}`, { ...AS_BEN, json })).json()) as { id: string }).id;
  return app.api('/tuning/decisions', {
    ...AS_BEN,
    json: {
      alertname: proposal.alertname,
      to: { threshold: proposal.threshold },
      reason: proposal.reason,
      incidentId: proposal.incidentId,
      evidence: {
        baselineId: await evidence('baseline', { window: '7d' }),
        backtestId: await evidence('backtest', { window: '7d', candidates: [{ threshold: proposal.threshold }] }),
      },
    },
  });
}
