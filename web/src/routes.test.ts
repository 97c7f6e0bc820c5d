import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.js';

describe('matchRoute', () => {
  it('maps each page of the notebook', () => {
    expect(matchRoute('/', '?state=firing')).toMatchObject({ page: 'incidents' });
    expect(matchRoute('/incidents/42', '')).toEqual({ page: 'incident', id: 42, tune: false });
    expect(matchRoute('/incidents/42', '?tune=1')).toEqual({ page: 'incident', id: 42, tune: true });
    expect(matchRoute('/tuning', '')).toEqual({ page: 'tuning' });
    expect(matchRoute('/tuning/7', '')).toEqual({ page: 'tuning-decision', id: 7 });
    expect(matchRoute('/runbooks', '')).toEqual({ page: 'runbooks' });
    expect(matchRoute('/runbooks/team-a/disk-full', '?from=abc1234')).toMatchObject({
      page: 'runbook',
      id: 'team-a/disk-full',
    });
  });

  it('keeps the query of list and runbook pages', () => {
    const route = matchRoute('/runbooks/api', '?from=abc1234&to=def5678');
    expect(route.page === 'runbook' && route.query.get('to')).toBe('def5678');
  });

  it('maps the report pages, handing any week name to the report page (the API judges it)', () => {
    expect(matchRoute('/reports', '?tz=UTC')).toMatchObject({ page: 'reports' });
    expect(matchRoute('/reports/incidents', '?alertname=A')).toMatchObject({ page: 'report-incidents' });
    const route = matchRoute('/reports/2026-W48', '?tz=Europe/Berlin');
    expect(route).toMatchObject({ page: 'report', week: '2026-W48' });
    expect(route.page === 'report' && route.query.get('tz')).toBe('Europe/Berlin');
    expect(matchRoute('/reports/banana', '')).toMatchObject({ page: 'report', week: 'banana' });
    expect(matchRoute('/reports/2026-W48/x', '')).toMatchObject({ page: 'not-found' });
  });

  it('says not found for anything else, including incident ids that are not ids', () => {
    expect(matchRoute('/incidents/0', '')).toEqual({ page: 'not-found', path: '/incidents/0' });
    expect(matchRoute('/incidents/abc', '')).toMatchObject({ page: 'not-found' });
    expect(matchRoute('/settings', '')).toMatchObject({ page: 'not-found' });
    expect(matchRoute('/tuning/0', '')).toMatchObject({ page: 'not-found' });
  });
});
