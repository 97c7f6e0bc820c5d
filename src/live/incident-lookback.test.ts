import { describe, expect, it } from 'vitest';
import { incidentLookback } from './subscription-target.js';

describe('incidentLookback', () => {
  it('shows at least half an hour before an incident', () => {
    expect(incidentLookback(0)).toBe(1800);
    expect(incidentLookback(5 * 60)).toBe(1800);
  });

  it('shows three times as long as it has fired before a long incident, so its start is well inside the chart', () => {
    expect(incidentLookback(2 * 3600)).toBe(6 * 3600);
  });
});
