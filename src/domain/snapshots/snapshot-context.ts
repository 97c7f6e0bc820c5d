import type { DatasourceLookup } from '../../prometheus/datasources.js';
import type { WriteContext } from '../incidents/write-context.js';

/** What the snapshot verbs need: the incident store, a clock, the bus, and where to run queries. */
export interface SnapshotContext extends WriteContext {
  datasources: DatasourceLookup;
}
