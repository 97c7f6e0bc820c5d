import { describe, expect, it } from 'vitest';
import { documentTitle, incidentsTabTitle, incidentTabTitle } from './use-document-title.js';

describe('tab titles', () => {
  it("put the page's words before the app's name", () => {
    expect(documentTitle('Runbooks')).toBe('Runbooks · Alertbook');
    expect(documentTitle(null)).toBe('Alertbook');
  });

  it("give an incident's state, then its title", () => {
    const incident = { status: 'firing' as const, acknowledgedAt: null, title: 'api: p95 latency is 4.1s' };
    expect(incidentTabTitle(incident)).toBe('Firing: api: p95 latency is 4.1s');
    expect(incidentTabTitle({ ...incident, acknowledgedAt: '2026-12-06T02:00:00Z' })).toBe(
      'Acknowledged: api: p95 latency is 4.1s',
    );
    expect(incidentTabTitle({ ...incident, status: 'resolved', acknowledgedAt: '2026-12-06T02:00:00Z' })).toBe(
      'Resolved: api: p95 latency is 4.1s',
    );
  });

  it('count the incidents of the list that fire unacknowledged, when there are any', () => {
    const firing = { status: 'firing' as const, acknowledgedAt: null };
    const acknowledged = { status: 'firing' as const, acknowledgedAt: '2026-12-06T02:00:00Z' };
    const resolved = { status: 'resolved' as const, acknowledgedAt: null };
    expect(incidentsTabTitle([firing, resolved, acknowledged, firing])).toBe('(2 firing) Incidents');
    expect(incidentsTabTitle([resolved, acknowledged])).toBe('Incidents');
  });
});
