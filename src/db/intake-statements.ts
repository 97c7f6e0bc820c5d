import { sql, type SQL } from 'drizzle-orm';
import type { Row } from './pipeline.js';

/*
 * Intake's one statement: `ingest_notification(p)`, the plpgsql function of
 * migrations/0012_intake-function.sql (redefined since, last in 0018), which locks the group, logs the
 * delivery, reads what is stored and writes what that decides. Everything it
 * needs travels as ONE jsonb argument, so the SQL text is the same for every
 * notification (prepared once per connection) and a 10,000-alert storm is one
 * statement with no 65,535-parameter limit to chunk around.
 */

/** One occurrence as the function reads it (intake_occurrences): the app's keys, values and runbook links. */
export interface IntakeOccurrence {
  key: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO 8601 as `Date.toISOString()` writes it: listed as such on alert events. */
  starts_at: string;
  ends_at: string | null;
  generator_url: string | null;
  /** The runbook the alert's own labels link to; undefined (left out of the JSON) when none. */
  runbook_id?: string;
  runbook_url?: string;
  /** Set only where the notification's common labels and annotations change the link of an incident this alert opens. */
  opening_differs?: true;
  opening_runbook_id?: string;
  opening_runbook_url?: string;
}

export interface IntakeRequest {
  identity: string;
  content_hash: string;
  receiver: string;
  group_key: string | null;
  status: string;
  alert_count: number;
  truncated_alerts: number;
  now: string;
  group_labels: Record<string, string>;
  external_url: string | null;
  /** commonLabels.alertname ?? groupLabels.alertname: an opened incident's alertname, else its first alert's. */
  alertname: string | null;
  /** commonAnnotations.summary: an opened incident's title, else its first alert's summary, alertname, "Alert group". */
  summary: string | null;
  /** commonLabels.severity: an opened incident's severity, else its first alert's. */
  severity: string | null;
  actor: string;
  source?: string;
  /** Bounds the statement's lock waits (the group lock among them) by the request's deadline. */
  lock_timeout_ms?: number;
  runbook_shas: Record<string, string>;
  alerts: IntakeOccurrence[];
}

export interface IntakeAnswer {
  /** false when this exact content was committed before (retry, repeat-interval resend, HA twin). */
  fresh: boolean;
  /** Occurrences stored or moved to resolved. */
  changed: number;
  /** The timeline events appended, in order. */
  events: { incidentId: number; type: string }[];
}

export function ingestStatement(request: IntakeRequest): SQL {
  return sql`select ingest_notification(${JSON.stringify(request)}::jsonb) as answer`;
}

/**
 * Several notifications in one transaction (`ingest_notifications`, migration 0016; redefined since, last in 0019):
 * each as it would be alone, the new groups among them written together.
 */
export function ingestBatchStatement(requests: IntakeRequest[]): SQL {
  return sql`select ingest_notifications(${JSON.stringify(requests)}::jsonb) as answer`;
}

export function readIntakeAnswer(rows: Row[]): IntakeAnswer {
  return intakeAnswer(rows[0]!.answer as StoredAnswer);
}

/** A batch's answers, in the order of its requests. */
export function readIntakeAnswers(rows: Row[]): IntakeAnswer[] {
  return (rows[0]!.answer as StoredAnswer[]).map(intakeAnswer);
}

interface StoredAnswer {
  fresh: boolean;
  changed: number;
  events: [number | string, string][];
}

function intakeAnswer(answer: StoredAnswer): IntakeAnswer {
  return {
    fresh: answer.fresh,
    changed: Number(answer.changed),
    events: answer.events.map(([incidentId, type]) => ({ incidentId: Number(incidentId), type })),
  };
}

/**
 * Serialises this transaction with every delivery for the group (ingest_notification takes the same lock), until
 * it ends, and keeps its lookups on their indexes.
 */
export function lockGroup(identity: string): SQL {
  return sql`select lock_alert_group(${identity}), set_config('enable_seqscan', 'off', true)`;
}

/**
 * Resolves each of these incidents whose alerts are all resolved (settle_incidents, as intake does) and logs
 * `incident.resolved` by `actor`; returns the ids it resolved.
 */
export function settleIncidents(ids: number[], actor: string, now: Date): SQL {
  return sql`
    insert into timeline_events (incident_id, type, at, actor)
    select id, 'incident.resolved', resolved_at, ${actor}
    from settle_incidents(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint), ${now.toISOString()}::timestamptz)
    order by id
    returning incident_id as "incidentId"`;
}
