import { describe, expect, it } from 'vitest';
import { getIncident, deliver, listIncidents } from '../support/api.js';
import { useTestApp } from '../support/app.js';
import { amAlert, amNotification } from '../support/payloads.js';

const app = useTestApp();

const T0 = '2026-11-22T07:00:00Z';
const T1 = '2026-11-22T08:00:00Z';

describe('incident lifecycle', () => {
  it('dates an alerts event by its earliest start when firing and its latest end when resolving', async () => {
    const early = amAlert({ labels: { instance: 'early' }, startsAt: '2026-11-22T07:00:00Z' });
    const late = amAlert({ labels: { instance: 'late' }, startsAt: '2026-11-22T07:05:00Z' });
    await deliver(app(), amNotification([late, early]));
    await deliver(
      app(),
      amNotification([
        { ...late, status: 'resolved', endsAt: '2026-11-22T07:30:00Z' },
        { ...early, status: 'resolved', endsAt: '2026-11-22T07:20:00Z' },
      ]),
    );
    const [incident] = await listIncidents(app());
    const { timeline } = await getIncident(app(), incident!.id);
    const at = (type: string) => timeline.find((e) => e.type === type)!.at;
    expect(at('alert.firing')).toBe('2026-11-22T07:00:00.000Z');
    expect(at('alert.resolved')).toBe('2026-11-22T07:30:00.000Z');
  });

  it('opens an incident on firing and resolves it when every alert resolves', async () => {
    const a = amAlert({ labels: { instance: 'a' }, startsAt: T0 });
    const b = amAlert({ labels: { instance: 'b' }, startsAt: T0 });
    await deliver(app(), amNotification([a, b], { commonAnnotations: { summary: 'API 5xx above 5 %' } }));
    let [incident] = await listIncidents(app());
    expect(incident).toMatchObject({
      status: 'firing',
      title: 'API 5xx above 5 %',
      severity: 'critical',
      alertname: 'HighErrorRate',
      alertCount: 2,
      firingCount: 2,
    });

    // One alert resolves: the incident stays open.
    await deliver(app(), amNotification([{ ...a, status: 'resolved', endsAt: '2026-11-22T07:10:00Z' }, b]));
    [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'firing', firingCount: 1 });

    // The last one resolves: the incident resolves at the latest alert end.
    await deliver(app(), amNotification([{ ...b, status: 'resolved', endsAt: '2026-11-22T07:20:00Z' }]));
    [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'resolved', firingCount: 0, resolvedAt: '2026-11-22T07:20:00.000Z' });

    const { timeline } = await getIncident(app(), incident!.id);
    expect(timeline.map((e) => [e.type, e.data.count])).toEqual([
      ['incident.opened', undefined],
      ['alert.firing', 2],
      ['alert.resolved', 1],
      ['alert.resolved', 1],
      ['incident.resolved', undefined],
    ]);
    expect(timeline[1]!.data.alerts).toEqual([
      { fingerprint: a.fingerprint, alertname: 'HighErrorRate', startsAt: '2026-11-22T07:00:00.000Z' },
      { fingerprint: b.fingerprint, alertname: 'HighErrorRate', startsAt: '2026-11-22T07:00:00.000Z' },
    ]);
    expect(new Set(timeline.map((e) => e.actor))).toEqual(new Set(['alertmanager']));
  });

  it('adds later alerts of the group to the open incident', async () => {
    await deliver(app(), amNotification([amAlert({ labels: { instance: 'a' } })]));
    await deliver(
      app(),
      amNotification([amAlert({ labels: { instance: 'a' } }), amAlert({ labels: { instance: 'b' } })]),
    );
    const incidents = await listIncidents(app());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ alertCount: 2, firingCount: 2 });
  });

  it('keeps groups apart: another groupKey or receiver is another incident', async () => {
    const alert = amAlert();
    await deliver(app(), amNotification([alert]));
    await deliver(app(), amNotification([alert], { groupKey: '{}/{team="db"}:{alertname="HighErrorRate"}' }));
    await deliver(app(), amNotification([alert], { receiver: 'pager' }));
    expect(await listIncidents(app())).toHaveLength(3);
  });

  it('opens a new incident, linked to the previous one, when the same alert fires again', async () => {
    const first = amAlert({ startsAt: T0 });
    await deliver(app(), amNotification([first]));
    await deliver(app(), amNotification([{ ...first, status: 'resolved', endsAt: '2026-11-22T07:30:00Z' }]));
    // Same fingerprint, new startsAt: a new occurrence.
    await deliver(app(), amNotification([amAlert({ startsAt: T1 })]));
    const [old, refired] = await listIncidents(app());
    expect(old).toMatchObject({ status: 'resolved' });
    expect(refired).toMatchObject({ status: 'firing', previousIncidentId: old!.id, alertCount: 1 });
    const { timeline } = await getIncident(app(), refired!.id);
    expect(timeline[0]).toMatchObject({ type: 'incident.opened', data: { previousIncidentId: old!.id } });
  });

  it('records a resolved-only notification for a group it never saw firing', async () => {
    await deliver(
      app(),
      amNotification([amAlert({ status: 'resolved', startsAt: T0, endsAt: '2026-11-22T07:05:00Z' })]),
    );
    const [incident] = await listIncidents(app());
    expect(incident).toMatchObject({
      status: 'resolved',
      alertCount: 1,
      firingCount: 0,
      resolvedAt: '2026-11-22T07:05:00.000Z',
    });
  });

  it('ends in the right state when the resolution arrives before the firing', async () => {
    const firing = amAlert({ startsAt: T0 });
    const resolved = { ...firing, status: 'resolved' as const, endsAt: '2026-11-22T07:05:00Z' };
    await deliver(app(), amNotification([resolved]));
    await deliver(app(), amNotification([firing]));
    const incidents = await listIncidents(app());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ status: 'resolved', firingCount: 0 });
    const { alerts } = await getIncident(app(), incidents[0]!.id);
    expect(alerts).toMatchObject([{ status: 'resolved', endsAt: '2026-11-22T07:05:00.000Z' }]);
  });

  it('never resolves an incident from a truncated notification', async () => {
    const a = amAlert({ labels: { instance: 'a' } });
    const b = amAlert({ labels: { instance: 'b' } });
    await deliver(app(), amNotification([a, b]));
    // Alertmanager cut the payload to max_alerts: only the resolved ones were sent
    // and the top-level status says "resolved", yet others may still fire.
    await deliver(
      app(),
      amNotification(
        [
          { ...a, status: 'resolved' },
          { ...b, status: 'resolved' },
        ],
        { status: 'resolved', truncatedAlerts: 3 },
      ),
    );
    let [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'firing', firingCount: 0 });

    // A complete notification that brings nothing new settles it.
    await deliver(
      app(),
      amNotification(
        [
          { ...a, status: 'resolved' },
          { ...b, status: 'resolved' },
        ],
        { status: 'resolved' },
      ),
    );
    [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'resolved' });
  });

  it('ignores the top-level status: a "resolved" notification with a firing alert keeps the incident open', async () => {
    await deliver(app(), amNotification([amAlert()], { status: 'resolved' }));
    const [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ status: 'firing' });
  });

  it('does not reopen a resolved occurrence from a late firing resend', async () => {
    const alert = amAlert({ startsAt: T0 });
    await deliver(app(), amNotification([alert]));
    await deliver(app(), amNotification([{ ...alert, status: 'resolved' }]));
    const summary = await deliver(app(), amNotification([alert, amAlert({ labels: { instance: 'x' } })]));
    expect(summary).toMatchObject({ changed: 1, duplicates: 1 });
    const [first] = await listIncidents(app());
    expect(first).toMatchObject({ status: 'resolved', alertCount: 1 });
  });
});

describe('senders', () => {
  it('identifies alerts without a fingerprint by their labels', async () => {
    const { fingerprint: _omit, ...noFingerprint } = amAlert();
    const body = amNotification([noFingerprint as ReturnType<typeof amAlert>]);
    delete body.version;
    delete body.groupKey;
    delete body.truncatedAlerts;
    await deliver(app(), body);
    await deliver(app(), body);
    const [incident] = await listIncidents(app());
    expect(incident).toMatchObject({ alertCount: 1 });
    const { alerts } = await getIncident(app(), incident!.id);
    expect(alerts[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('lists an alert without an alertname label with alertname null', async () => {
    const { alertname: _omit, ...labels } = amAlert().labels;
    const alert = { ...amAlert(), labels, fingerprint: 'no-alertname' };
    await deliver(app(), amNotification([alert as ReturnType<typeof amAlert>]));
    const [incident] = await listIncidents(app());
    const { timeline } = await getIncident(app(), incident!.id);
    expect(timeline.find((e) => e.type === 'alert.firing')!.data.alerts).toEqual([
      { fingerprint: 'no-alertname', alertname: null, startsAt: '2026-11-22T07:29:51.374Z' },
    ]);
  });

  it('treats Go zero time as "not ended" and accepts any RFC 3339 offset and precision', async () => {
    await deliver(
      app(),
      amNotification([
        amAlert({ labels: { instance: 'ns' }, startsAt: '2020-02-06T00:17:58.432911368Z' }),
        amAlert({ labels: { instance: 'offset' }, startsAt: '2021-10-12T09:51:03.157076+02:00' }),
        amAlert({ labels: { instance: 'none' }, startsAt: '2016-04-07T10:08:52-06:00' }),
      ]),
    );
    const [incident] = await listIncidents(app());
    const { alerts } = await getIncident(app(), incident!.id);
    expect(alerts.map((a) => [a.startsAt, a.endsAt])).toEqual([
      ['2016-04-07T16:08:52.000Z', null],
      ['2020-02-06T00:17:58.432Z', null],
      ['2021-10-12T07:51:03.157Z', null],
    ]);
    expect(incident!.startedAt).toBe('2016-04-07T16:08:52.000Z');
  });

  it('accepts the Grafana superset (version "1", orgId, values) and keeps unknown keys harmless', async () => {
    const alert = {
      ...amAlert(),
      values: { A: 1, B: 0 },
      silenceURL: 'http://grafana/silence',
      valueString: '[ var=A ]',
    };
    await deliver(
      app(),
      amNotification([alert], { version: '1', orgId: 1, title: '[FIRING:1]', state: 'alerting', message: 'x' }),
    );
    expect(await listIncidents(app())).toHaveLength(1);
  });

  it('titles an incident by commonAnnotations.summary, else the alertname', async () => {
    await deliver(
      app(),
      amNotification([amAlert({ alertname: 'DiskFull', annotations: { summary: '' } })], { commonAnnotations: {} }),
    );
    const [incident] = await listIncidents(app());
    expect(incident!.title).toBe('DiskFull');
  });
});
