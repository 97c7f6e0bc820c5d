-- Several notifications recorded in one transaction, each exactly as ingest_notification records it alone, for the
-- app's intake batches (src/db/intake-batcher.ts). Answers in the order given. Any member's failure fails them all;
-- the app then sends each alone.
CREATE FUNCTION "ingest_notifications"(ps jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  member record;
  answers jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(ps)]);
  -- What a member sets for the rest of the transaction (its lock wait bound, the generic plans of a resolving
  -- notification) must not reach the next one: each starts from the session's settings.
  initial_lock_timeout text := current_setting('lock_timeout');
  initial_plan_cache_mode text := current_setting('plan_cache_mode');
BEGIN
  -- Group locks are taken in one order by every batch (lock_alert_group's key), so two batches never wait on each
  -- other in a cycle; one group's notifications keep the order they arrived in.
  FOR member IN
    SELECT m.p, m.i FROM jsonb_array_elements(ps) WITH ORDINALITY AS m(p, i)
    ORDER BY hashtextextended(m.p->>'identity', 0), m.i
  LOOP
    PERFORM set_config('lock_timeout', initial_lock_timeout, true),
      set_config('plan_cache_mode', initial_plan_cache_mode, true);
    answers[member.i] := ingest_notification(member.p);
  END LOOP;
  RETURN to_jsonb(answers);
END $$;
