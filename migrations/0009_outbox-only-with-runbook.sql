-- Both kinds of once-work are about the incident's pinned runbook (auto-run its `run=auto` cells, snapshot
-- its cells on resolve): an incident without one gets no outbox row, rather than a row every replica wakes
-- for, claims and deletes having found nothing to do. A storm of alerts no runbook covers is the common case.
-- The AFTER trigger runs once the statement is done, so it sees an incident opened by the same statement.
CREATE OR REPLACE FUNCTION "outbox_enqueue_incident_work"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "incidents" WHERE "id" = NEW."incident_id" AND "runbook_id" IS NOT NULL) THEN
    INSERT INTO "outbox" ("kind", "incident_id")
    VALUES (CASE NEW."type" WHEN 'incident.opened' THEN 'auto-run-cells' ELSE 'snapshot-on-resolve' END, NEW."incident_id");
  END IF;
  RETURN NULL;
END
$$;
