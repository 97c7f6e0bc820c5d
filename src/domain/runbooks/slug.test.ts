import { describe, expect, it } from 'vitest';
import { slugify, UniqueIds } from './slug.js';

describe('slugify', () => {
  it.each([
    ['5xx ratio by route', '5xx-ratio-by-route'],
    ['  Check the *dashboard*!  ', 'check-the-dashboard'],
    ['Pods: CrashLoopBackOff (kube-system)', 'pods-crashloopbackoff-kube-system'],
    ['服务异常告警', '服务异常告警'],
    ['Café ＡＢＣ', 'café-abc'],
    ['!!!', ''],
  ])('%j → %j', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('caps the length without leaving a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(63)} b`);
    expect(slug).toBe('a'.repeat(63));
  });
});

describe('UniqueIds', () => {
  it('suffixes repeats with -2, -3 and skips suffixes already taken', () => {
    const ids = new UniqueIds();
    expect(['x', 'x', 'x-2', 'x', 'y'].map((id) => ids.claim(id))).toEqual(['x', 'x-2', 'x-2-2', 'x-3', 'y']);
  });
});
