import { matchesLabels } from '../runbooks/link-runbook.js';
import type { LabelMatcher } from '../runbooks/runbook.js';

// A value no real matcher names: it stands for "any other value" of a label.
const ANY_OTHER_VALUE = '\u0000any-other-value';
// `api|web|worker`: a regex that is just a list of literal alternatives.
const LITERAL_ALTERNATIVES = /^[\w\-./: ]+(?:\|[\w\-./: ]+)*$/;

/**
 * Whether some label set satisfies both matcher lists. Labels are independent, so
 * it is enough to find, for every label either list constrains, one value that
 * all of its matchers accept. Candidate values are those the matchers name (plus
 * the empty string and one other value); a pair of arbitrary regexes may overlap
 * on a value not among them, and then this answers false: a claimed overlap is
 * always real, so the error it leads to is never a false alarm.
 */
export function matchersOverlap(a: readonly LabelMatcher[], b: readonly LabelMatcher[]): boolean {
  const all = [...a, ...b];
  const labels = new Set(all.map((matcher) => matcher.label));
  return [...labels].every((label) => {
    const constraints = all.filter((matcher) => matcher.label === label);
    return candidateValues(constraints).some((value) => matchesLabels(constraints, { [label]: value }));
  });
}

function candidateValues(matchers: readonly LabelMatcher[]): string[] {
  const values = new Set(['', ANY_OTHER_VALUE]);
  for (const { op, value } of matchers) {
    if (op === '=' || op === '!=') values.add(value);
    else if (LITERAL_ALTERNATIVES.test(value)) for (const alternative of value.split('|')) values.add(alternative);
  }
  return [...values];
}
