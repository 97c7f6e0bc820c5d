/**
 * The REST API's answers as the notebook receives them: the domain verbs'
 * own result types, passed through JSON. Deriving them (type-only imports,
 * erased from the bundle) keeps client and server from drifting apart.
 */
import type { earlierIncidents } from '../../../src/domain/incidents/earlier-incidents.js';
import type { getIncident } from '../../../src/domain/incidents/get-incident.js';
import type { getIncidentRunbook } from '../../../src/domain/incidents/incident-runbook.js';
import type { IncidentSummary as StoredIncidentSummary } from '../../../src/domain/incidents/incident-view.js';
import type { diffRunbookVersions } from '../../../src/domain/runbooks/diff-runbook-versions.js';
import type { listRunbooks, listRunbookVersions } from '../../../src/domain/runbooks/read-runbooks.js';
import type { RunbookVersionView } from '../../../src/domain/runbooks/runbook-view.js';

/** A server value after JSON: dates arrive as ISO strings (mapping keeps arrays and tuples as they are). */
export type Json<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

type Answer<Verb extends (...args: never[]) => Promise<unknown>> = Json<Awaited<ReturnType<Verb>>>;

export type Labels = Record<string, string>;

export type IncidentSummary = Json<StoredIncidentSummary>;
export interface IncidentList {
  incidents: IncidentSummary[];
  nextCursor: string | null;
}

export type IncidentDetail = Answer<typeof getIncident>;
export type Alert = IncidentDetail['alerts'][number];
export type TimelineEvent = IncidentDetail['timeline'][number];

export type IncidentRunbook = Answer<typeof getIncidentRunbook>;
export type EarlierIncidents = Answer<typeof earlierIncidents>;
export type PinnedRunbook = NonNullable<IncidentRunbook['runbook']>;
export type IncidentCell = PinnedRunbook['cells'][number];
export type IncidentStep = PinnedRunbook['steps'][number];

export type RunbookVersion = Json<RunbookVersionView>;
export type RunbookCell = RunbookVersion['cells'][number];
export type RunbookListEntry = Answer<typeof listRunbooks>[number];
export type RunbookVersionEntry = Answer<typeof listRunbookVersions>[number];
export type RunbookDiff = Answer<typeof diffRunbookVersions>;
