import type { DatasourceLookup } from '../../prometheus/datasources.js';
import type { WriteContext } from '../incidents/write-context.js';
import type { KnownRule } from '../tuning/known-rules.js';

/** What the snapshot verbs need: the incident store, a clock, the bus, and where to run queries. */
export interface SnapshotContext extends WriteContext {
  datasources: DatasourceLookup;
  /** The alerting rules loaded: a cell's chart draws the firing rule's threshold, and its snapshot records it. */
  rules?: { list(): readonly KnownRule[] };
}
