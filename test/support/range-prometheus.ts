import { afterAll, beforeAll } from 'vitest';
import { Datasources, type DatasourceLookup } from '../../src/prometheus/datasources.js';
import { startFakePrometheus, type Fault, type FakePrometheus } from './fake-prometheus.js';

/** The series a range query answers, from its query and range. */
export type RangeAnswer = (query: string, start: number, end: number, step: number) => unknown[];

/**
 * A Prometheus stand-in for the test file, answering every range query with
 * `answer` as a matrix; `datasources` over it resolve when asked, so the app
 * can be built before the stand-in listens. `fault()` makes it misbehave.
 */
export function useRangePrometheus(answer: RangeAnswer): {
  datasources: DatasourceLookup;
  fault(fault: Fault | null): void;
} {
  let prometheus: FakePrometheus;
  let actual: Datasources;
  beforeAll(async () => {
    prometheus = await startFakePrometheus({
      answer: ({ params }) => ({
        data: {
          resultType: 'matrix',
          result: answer(params.query!, Number(params.start), Number(params.end), Number(params.step)),
        },
      }),
    });
    actual = new Datasources([{ name: 'default', url: prometheus.url }]);
  });
  afterAll(async () => {
    await prometheus.close();
  });
  return { datasources: { get: (name) => actual.get(name) }, fault: (fault) => prometheus.fault(fault) };
}
