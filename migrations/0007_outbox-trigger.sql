-- Once-work for the outbox (src/db/schema/outbox.ts), written by the transaction that appends the event,
-- whichever code path appends it (intake, a manual resolve, reconciliation).
CREATE FUNCTION "outbox_enqueue_incident_work"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "outbox" ("kind", "incident_id")
  VALUES (CASE NEW."type" WHEN 'incident.opened' THEN 'auto-run-cells' ELSE 'snapshot-on-resolve' END, NEW."incident_id");
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "timeline_events_outbox" AFTER INSERT ON "timeline_events"
FOR EACH ROW WHEN (NEW."type" IN ('incident.opened', 'incident.resolved'))
EXECUTE FUNCTION "outbox_enqueue_incident_work"();
