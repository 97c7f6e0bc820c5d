import { AUTO_SNAPSHOT_ACTOR } from '../snapshots/snapshot-on-resolve.js';

/** Timeline events that mean a person did something about an incident (a report's "action"). */
export const PERSON_EVENT_TYPES = ['incident.acknowledged', 'note.added', 'step.checked', 'cell.snapshot'] as const;

export type PersonEventType = (typeof PERSON_EVENT_TYPES)[number];

/** Actors that are the service itself: intake and snapshots taken automatically at resolve. */
export const PERSON_ACTORS_EXCLUDED = ['alertmanager', AUTO_SNAPSHOT_ACTOR];
