-- The writing replica is named by the connection's application_name (`alertbook <replica id>`, set by every
-- replica's pool), instead of a custom startup setting: connection poolers such as PgBouncer refuse startup
-- parameters they do not know, and pass application_name on. Other writers (the CLI) carry other names.
CREATE OR REPLACE FUNCTION "notify_incident_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('alertbook_incident_changes', json_build_object(
    'r', current_setting('application_name'),
    'i', "incident_id",
    't', array_agg(DISTINCT "type"),
    'e', max("id"))::text)
  FROM "appended" GROUP BY "incident_id";
  RETURN NULL;
END
$$;
