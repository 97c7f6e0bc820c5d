import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { listIncidents } from '../support/api.js';
import { useTestApp, WEBHOOK_TOKEN } from '../support/app.js';
import { withUnreachableDatabase } from '../support/flaky-database.js';
import { amAlert, amNotification } from '../support/payloads.js';

const app = useTestApp();

async function expectError(res: Response, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string; field?: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBeTruthy();
  expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
  if (field) {
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(field);
  }
  return body.error;
}

describe('400: a malformed body names the offending field and writes nothing', () => {
  const valid = () => amNotification([amAlert(), amAlert({ labels: { instance: 'b' } })]);
  const cases: [string, (b: any) => void, string][] = [
    ['status outside firing|resolved', (b) => (b.status = 'pending'), 'status'],
    ['an alert status outside firing|resolved', (b) => (b.alerts[1].status = 'ok'), 'alerts[1].status'],
    ['a bad startsAt', (b) => (b.alerts[1].startsAt = 'yesterday'), 'alerts[1].startsAt'],
    ['a startsAt without offset', (b) => (b.alerts[0].startsAt = '2026-11-22T07:29:51'), 'alerts[0].startsAt'],
    ['a bad endsAt', (b) => (b.alerts[0].endsAt = 12), 'alerts[0].endsAt'],
    ['a non-string label value', (b) => (b.alerts[1].labels.instance = 7), 'alerts[1].labels.instance'],
    ['alerts not an array', (b) => (b.alerts = {}), 'alerts'],
    ['a missing receiver', (b) => delete b.receiver, 'receiver'],
    ['a negative truncatedAlerts', (b) => (b.truncatedAlerts = -1), 'truncatedAlerts'],
    ['groupLabels of the wrong type', (b) => (b.groupLabels = 'x'), 'groupLabels'],
    ['labels given as a list', (b) => (b.alerts[0].labels = [['alertname', 'X']]), 'alerts[0].labels'],
    ['a null annotation value', (b) => (b.alerts[1].annotations.summary = null), 'alerts[1].annotations.summary'],
    ['a null commonLabels', (b) => (b.commonLabels = null), 'commonLabels'],
  ];
  for (const [what, mutate, field] of cases) {
    it(what, async () => {
      const body = valid();
      mutate(body);
      await expectError(await app().hook(body), 400, 'invalid_input', field);
      expect(await listIncidents(app())).toEqual([]);
    });
  }

  it('a body that is not JSON', async () => {
    await expectError(await app().hook(null, { raw: '{"receiver": "x", ' }), 400, 'invalid_input', '(body)');
  });

  it('a JSON body that is not an object', async () => {
    await expectError(await app().hook([1, 2]), 400, 'invalid_input');
  });
});

describe('401: credentials', () => {
  const body = amNotification([amAlert()]);
  it('rejects a missing Authorization header', async () => {
    await expectError(await app().hook(body, { headers: { authorization: '' } }), 401, 'unauthorized');
  });
  it('rejects a wrong bearer token', async () => {
    const res = await app().hook(body, { headers: { authorization: 'Bearer nope' } });
    await expectError(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
  it('accepts the token as the Basic auth password', async () => {
    const basic = Buffer.from(`alertmanager:${WEBHOOK_TOKEN}`).toString('base64');
    expect((await app().hook(body, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
  });
  it('rejects a wrong Basic password', async () => {
    const basic = Buffer.from('alertmanager:wrong').toString('base64');
    await expectError(await app().hook(body, { headers: { authorization: `Basic ${basic}` } }), 401, 'unauthorized');
    expect(await listIncidents(app())).toEqual([]);
    expect(await app().metrics.registry.getSingleMetricAsString('alertbook_notifications_total')).toMatch(
      /outcome="unauthorized"} [1-9]/,
    );
  });
});

describe('413 and 415', () => {
  it('rejects a body over the configured limit', async () => {
    const small = createApp({
      config: { webhookToken: undefined, apiTokens: [], bodyLimit: 1024 },
      database: app().database,
      logger: createLogger({ silent: true }),
    }).app;
    const alerts = Array.from({ length: 20 }, (_, i) => amAlert({ labels: { instance: `h${i}` } }));
    const res = await small.request('/hooks/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(amNotification(alerts)),
    });
    await expectError(res, 413, 'payload_too_large');
    expect(await listIncidents(app())).toEqual([]);
  });

  it('rejects a non-JSON content type', async () => {
    const res = await app().hook(amNotification([amAlert()]), { headers: { 'content-type': 'text/plain' } });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset', async () => {
    const res = await app().hook(amNotification([amAlert()]), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
  });
});

describe('503: the database is unreachable', () => {
  it('answers 503 with Retry-After so Alertmanager retries, and counts it', async () => {
    const { app: broken, metrics } = createApp({
      config: { webhookToken: undefined, apiTokens: [], bodyLimit: 1 << 20 },
      database: withUnreachableDatabase(app().database),
      logger: createLogger({ silent: true }),
    });
    const res = await broken.request('/hooks/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(amNotification([amAlert()])),
    });
    await expectError(res, 503, 'unavailable');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await metrics.registry.getSingleMetricAsString('alertbook_notifications_total')).toContain(
      'outcome="unavailable"} 1',
    );
  });
});
