-- Each committed timeline change is NOTIFYed to the replicas' LISTEN connections (src/db/replica-link.ts) by the
-- transaction that appends it: delivered at its commit and in commit order, whichever process and path wrote it
-- (intake, the notebook, reconciliation, the CLI), and never lost between a commit and a NOTIFY sent after it.
-- The channel is INCIDENT_CHANGES_CHANNEL. 'r' is the writer's `alertbook.replica` setting (every connection of a
-- replica's pool carries it; null elsewhere): a replica ignores its own echo. 'e' is the newest event id appended
-- to the incident here: how far a listener has seen. One notification per incident per statement.
CREATE FUNCTION "notify_incident_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alertbook_incident_changes', json_build_object(
    'r', current_setting('alertbook.replica', true),
    'i', "incident_id",
    't', array_agg(DISTINCT "type"),
    'e', max("id"))::text)
  FROM "appended" GROUP BY "incident_id";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "timeline_events_notify" AFTER INSERT ON "timeline_events" REFERENCING NEW TABLE AS "appended"
FOR EACH STATEMENT EXECUTE FUNCTION "notify_incident_changes"();
