import { describe, expect, it } from 'vitest';
import { IncidentBus } from './incident-bus.js';

describe('IncidentBus', () => {
  it('tells every listener, logs a failing one with its stack and the change, and never throws to the publisher', () => {
    const errors: { msg: string; fields?: Record<string, unknown> }[] = [];
    const bus = new IncidentBus({ logger: { error: (msg, fields) => errors.push({ msg, fields }) } });
    const told: number[] = [];
    bus.subscribe(() => {
      throw new Error('viewer broke');
    });
    bus.subscribe((change) => told.push(change.incidentId));

    expect(() => bus.publish({ incidentId: 7, types: ['note.added'] })).not.toThrow();
    expect(told).toEqual([7]);
    expect(errors).toEqual([
      {
        msg: 'an incident change listener failed',
        fields: {
          incidentId: 7,
          types: ['note.added'],
          error: 'viewer broke',
          stack: expect.stringContaining('incident-bus.test.ts'),
        },
      },
    ]);
  });
});
