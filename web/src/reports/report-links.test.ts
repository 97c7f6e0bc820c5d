import { describe, expect, it } from 'vitest';
import { notebookHref, incidentsApiQuery, storedReportPath, weekHref, weeklyReportPath } from './report-links.js';

describe('report links', () => {
  it('opens an incidents query in the notebook with the same filters; other API queries and notebook links stay', () => {
    const incidents =
      '/api/v1/incidents?from=2026-10-18T22%3A00%3A00.000Z&to=2026-10-25T23%3A00%3A00.000Z&alertname=A&limit=200';
    expect(notebookHref(incidents)).toBe(
      '/reports/incidents?from=2026-10-18T22%3A00%3A00.000Z&to=2026-10-25T23%3A00%3A00.000Z&alertname=A&limit=200',
    );
    const occurrences = '/api/v1/reports/evidence/occurrences?from=a&to=b&limit=1000';
    expect(notebookHref(occurrences)).toBe(occurrences);
    expect(notebookHref('/incidents/4?tune=1')).toBe('/incidents/4?tune=1');
  });

  it('pages the incidents behind a figure by cursor, whatever cursor the page URL carried', () => {
    const query = new URLSearchParams('alertname=A&limit=200&cursor=stale');
    expect(incidentsApiQuery(query, null)).toBe('/incidents?alertname=A&limit=200');
    expect(incidentsApiQuery(query, '17')).toBe('/incidents?alertname=A&limit=200&cursor=17');
  });

  it("asks the API for the week of the URL, in the URL's zone when it names one", () => {
    expect(weeklyReportPath('2026-W48', new URLSearchParams(), 'json')).toBe(
      '/reports/weekly?week=2026-W48&format=json',
    );
    expect(weeklyReportPath('2026-W48', new URLSearchParams('tz=Europe/Berlin'), 'html')).toBe(
      '/reports/weekly?week=2026-W48&tz=Europe%2FBerlin&format=html',
    );
    // A bad week goes to the API as typed: its 400 says what is wrong.
    expect(weeklyReportPath('banana&x=1', new URLSearchParams(), 'json')).toBe(
      '/reports/weekly?week=banana%26x%3D1&format=json',
    );
    expect(storedReportPath('3', 'markdown')).toBe('/reports/stored/3?format=markdown');
  });

  it("links a week with its zone only when the list was asked for one or the week is another zone's", () => {
    expect(weekHref({ week: '2026-W43', tz: 'UTC' }, { tz: 'UTC', askedTz: null })).toBe('/reports/2026-W43');
    expect(weekHref({ week: '2026-W43', tz: 'UTC' }, { tz: 'UTC', askedTz: 'UTC' })).toBe('/reports/2026-W43?tz=UTC');
    expect(weekHref({ week: '2026-W02', tz: 'Europe/Berlin' }, { tz: 'UTC', askedTz: null })).toBe(
      '/reports/2026-W02?tz=Europe%2FBerlin',
    );
  });
});
