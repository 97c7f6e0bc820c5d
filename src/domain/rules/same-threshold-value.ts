/** Equal as written in two places: `0.01` and `1e-2`, not 0.01 and 0.010000001. */
export function sameThresholdValue(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}
