import { describe, expect, it } from 'vitest';
import type { TuningDecisionStatus } from '../../../db/schema/tuning.js';
import { assertCanMove, canMove } from './decision-status.js';

const ALL: TuningDecisionStatus[] = ['proposed', 'applied', 'verified', 'rejected', 'superseded'];

describe('decision status machine', () => {
  it('moves proposed → applied → verified, and proposed → rejected | superseded, nothing else', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(['proposed→applied', 'proposed→rejected', 'proposed→superseded', 'applied→verified']);
  });

  it('is a 409 naming the decision and its status otherwise', () => {
    expect(() => assertCanMove(4, 'applied', 'rejected')).toThrow(
      expect.objectContaining({ code: 'conflict', message: 'decision 4 is applied: it cannot become rejected' }),
    );
  });
});
