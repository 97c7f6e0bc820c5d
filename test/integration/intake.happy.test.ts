import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { fixture, fixtureNames } from '../support/fixtures.js';

const app = useTestApp();

async function incidents(query = '') {
  const res = await app().api(`/incidents${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { incidents: Array<Record<string, unknown>> }).incidents;
}

describe('intake of real payloads', () => {
  for (const name of fixtureNames('alertmanager')) {
    it(`accepts ${name}`, async () => {
      const body = fixture<{ alerts: { status: string }[] }>(`alertmanager/${name}`);
      const res = await app().hook(body);
      expect(res.status).toBe(200);
      const list = await incidents();
      expect(list).toHaveLength(1);
      const incident = list[0]!;
      expect(incident.alertCount).toBe(body.alerts.length);
      const firing = body.alerts.filter((a) => a.status === 'firing').length;
      expect(incident.firingCount).toBe(firing);
      expect(incident.status).toBe(firing > 0 ? 'firing' : 'resolved');
    });
  }
});
