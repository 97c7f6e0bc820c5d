import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/domain/incidents/notification.js';
import { stormNotification } from './payload.js';

describe('stormNotification', () => {
  it('is a notification intake accepts, with the requested number of firing alerts', () => {
    const message = stormNotification({ run: 'r1', index: 3, alertCount: 25 });
    const parsed = parseNotification(JSON.parse(JSON.stringify(message)));
    expect(parsed.sender).toBe('alertmanager');
    expect(parsed.alerts).toHaveLength(25);
    expect(parsed.alerts.every((a) => a.status === 'firing' && a.endsAt === null)).toBe(true);
    expect(message).toMatchObject({ version: '4', truncatedAlerts: 0, status: 'firing' });
  });

  it('gives every notification its own group and every alert its own occurrence', () => {
    const first = stormNotification({ run: 'r1', index: 0, alertCount: 50 });
    const second = stormNotification({ run: 'r1', index: 1, alertCount: 50 });
    const otherRun = stormNotification({ run: 'r2', index: 0, alertCount: 50 });
    expect(new Set([first.groupKey, second.groupKey, otherRun.groupKey]).size).toBe(3);
    const fingerprints = [first, second, otherRun].flatMap((m) => m.alerts.map((a) => a.fingerprint));
    expect(new Set(fingerprints).size).toBe(150);
    const startsAt = (m: typeof first) => new Set(m.alerts.map((a) => a.startsAt));
    expect([...startsAt(first)].filter((t) => startsAt(second).has(t))).toEqual([]);
  });

  it('derives commonLabels and commonAnnotations as Alertmanager does: the pairs all alerts share', () => {
    const message = stormNotification({ run: 'r1', index: 0, alertCount: 3 });
    expect(Object.keys(message.commonLabels)).not.toContain('instance');
    expect(Object.keys(message.commonAnnotations)).not.toContain('summary');
    for (const alert of message.alerts) {
      expect(alert.labels).toMatchObject(message.commonLabels);
      expect(alert.labels).toMatchObject(message.groupLabels);
    }
    const single = stormNotification({ run: 'r1', index: 0, alertCount: 1 });
    expect(single.commonLabels).toEqual(single.alerts[0]!.labels);
  });
});
