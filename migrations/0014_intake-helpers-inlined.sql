-- Declared IMMUTABLE, these two were never inlined: their bodies call jsonb_build_object, which is STABLE, and the
-- planner inlines a SQL function only when its body is no more volatile than it says. Each call then went through
-- the SQL-function executor, parsing and planning the body again for every execution of intake's statements (a
-- tenth of ingest_notification's time for a 1-alert notification, pg_stat_statements and perf, 2026-12-06).
ALTER FUNCTION "intake_listed_alert"(text, jsonb, text) STABLE;
--> statement-breakpoint
ALTER FUNCTION "intake_alerts_listed"(jsonb, bigint) STABLE;
