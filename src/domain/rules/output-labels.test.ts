import { describe, expect, it } from 'vitest';
import { outputLabelNames } from './output-labels.js';

function labels(expr: string): string[] | null {
  const names = outputLabelNames(expr);
  return names === null ? null : [...names].sort();
}

describe('outputLabelNames', () => {
  it.each([
    [
      'a bare selector: its matchers plus the target labels',
      'up{env="prod", "dotted.name"=~"x", __name__="up"} == 0',
      ['dotted.name', 'env', 'instance', 'job'],
    ],
    ['by keeps exactly its labels', 'sum by (job, route) (rate(http_requests_total[5m])) > 1', ['job', 'route']],
    ['by written after the arguments', 'max(up) by (cluster)', ['cluster']],
    ['an aggregation without modifier keeps none', 'sum(rate(x{a="b"}[5m])) > 0', []],
    ['without removes its labels', 'sum without (instance) (x{team="a"})', ['job', 'team']],
    ['topk returns input series whatever its by', 'topk by (job) (3, x{pod="p"})', ['instance', 'job', 'pod']],
    ['count_values adds its label', 'count_values by (job) ("version", build_info)', ['job', 'version']],
    [
      'label_replace adds its destination',
      'label_replace(up, "host", "$1", "instance", "(.*):.*")',
      ['host', 'instance', 'job'],
    ],
    [
      'functions keep their operand labels',
      'histogram_quantile(0.9, sum by (le, service) (rate(h_bucket[5m])))',
      ['le', 'service'],
    ],
    ['vector() has none', 'vector(1)', []],
    ['on() keeps the matching labels', 'a / on (job) b', ['job']],
    ['ignoring() removes them', 'x{a="1"} / ignoring (a) y', ['instance', 'job']],
    [
      'group_left adds the included labels to the many side',
      'x{pod="p"} * on (pod) group_left (node) kube_pod_info',
      ['instance', 'job', 'node', 'pod'],
    ],
    ['group_right keeps the right side', 'a * on (pod) group_right (team) sum by (pod, ns) (b)', ['ns', 'pod', 'team']],
    ['or unites both sides', 'sum by (a) (x) or sum by (b) (y)', ['a', 'b']],
    ['and / unless keep the left side', 'sum by (a) (x) unless sum by (b) (y)', ['a']],
    ['comments and parentheses change nothing', '# why\n(\n  sum by (job) (up) # trailing\n) < 1', ['job']],
  ])('%s', (_what, expr, expected) => {
    expect(labels(expr)).toEqual(expected);
  });

  it.each([
    ['a syntax error', 'sum by (job) (up'],
    ['info(), whose labels come from data', 'info(up)'],
    ['a label name with an escape', 'sum by ("a\\u0062") (x)'],
  ])('gives up (null) on %s', (_what, expr) => {
    expect(outputLabelNames(expr)).toBeNull();
  });
});
