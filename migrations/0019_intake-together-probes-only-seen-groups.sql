-- The together statement of batches (0017) gets what 0018 gave ingest_notification: a member whose group never had an
-- incident skips the probe of its keys (none can be stored), and its alerts are inserted without ON CONFLICT, which
-- the locks and the members' eligibility already rule out (src/db/DECISIONS.md, "The group lock, not ON CONFLICT").
-- Otherwise unchanged from 0017.
CREATE OR REPLACE FUNCTION "ingest_notifications"(ps jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  member record;
  answers jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(ps)]);
  -- What a member sets for the rest of the transaction (its lock wait bound, the generic plans of a resolving
  -- notification) must not reach the next one: each starts from the session's settings.
  initial_lock_timeout text := current_setting('lock_timeout');
  initial_plan_cache_mode text := current_setting('plan_cache_mode');
  together bigint[];
  together_answers jsonb;
BEGIN
  -- Every member's group lock first, in one order for every batch (lock_alert_group's key), so two batches never
  -- wait on each other in a cycle; each waits within its own member's bound.
  PERFORM set_config('lock_timeout', coalesce(m.p->>'lock_timeout_ms', initial_lock_timeout), true),
    lock_alert_group(m.p->>'identity')
  FROM jsonb_array_elements(ps) WITH ORDINALITY AS m(p, i)
  ORDER BY hashtextextended(m.p->>'identity', 0), m.i;
  -- The statement below waits on nothing else but a table locked by hand: that wait ends with the soonest deadline
  -- in the batch, which then fails and the app sends each member alone, within its own. Its plan is probes by key
  -- and small joins whatever the batch; left to choose, plpgsql planned it again on every call (0.4 ms, about what
  -- the statement itself takes).
  PERFORM set_config('lock_timeout', coalesce((SELECT min((e->>'lock_timeout_ms')::bigint)
      FROM jsonb_array_elements(ps) e)::text, initial_lock_timeout), true),
    set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true);

  -- Under the locks, the members recorded together: those whose group has no open incident, whose content and
  -- alerts were never stored and whose alerts all fire, each the only member of its group here and naming no alert
  -- another member names (so nothing else in it changes their case). The stored state is probed per member by key
  -- (scalar subqueries: a join or NOT EXISTS let a cached plan read every open incident instead). Each is recorded
  -- as ingest_notification records such a member: the delivery logged, the incident opened by its first alert (with
  -- the notification's common labels and annotations over its own) and linked back to the group's newest, every
  -- alert stored, and incident.opened, runbook.linked (when linked) and alert.firing appended, in that order.
  WITH candidates AS (
    SELECT m.i, m.p, seen.newest_incident
    FROM jsonb_array_elements(ps) WITH ORDINALITY AS m(p, i),
      LATERAL (SELECT (SELECT i.id FROM incidents i WHERE i.group_identity = m.p->>'identity'
        ORDER BY i.started_at DESC NULLS LAST, i.id DESC LIMIT 1) AS newest_incident) seen
    WHERE NOT ARRAY(SELECT e->>'key' FROM jsonb_array_elements(m.p->'alerts') e) && ARRAY(SELECT e->>'key'
        FROM jsonb_array_elements(ps) WITH ORDINALITY AS o(p, i), jsonb_array_elements(o.p->'alerts') e
        GROUP BY 1 HAVING count(DISTINCT o.i) > 1)
      AND m.p->>'identity' <> ALL (ARRAY(SELECT o->>'identity' FROM jsonb_array_elements(ps) o GROUP BY 1
        HAVING count(*) > 1))
      AND NOT m.p ? 'source'
      AND jsonb_array_length(m.p->'alerts') > 0
      AND (SELECT count(*) FROM jsonb_array_elements(m.p->'alerts') a WHERE a->>'status' <> 'firing') = 0
      AND (SELECT n.id FROM notifications n WHERE n.content_hash = m.p->>'content_hash') IS NULL
      AND (SELECT i.id FROM incidents i WHERE i.group_identity = m.p->>'identity' AND i.status = 'firing') IS NULL
      -- A group that never had an incident has no occurrence stored (0018): its keys are not probed.
      AND (seen.newest_incident IS NULL OR (SELECT a.id FROM alerts a
        WHERE a.occurrence_key = ANY (ARRAY(SELECT e->>'key' FROM jsonb_array_elements(m.p->'alerts') e)) LIMIT 1)
        IS NULL)),
  members AS (
    SELECT c.i, c.p, (c.p->>'now')::timestamptz AS now_at, c.p->'alerts'->0 AS first_new,
      hashtextextended(c.p->>'identity', 0) AS lock_key,
      coalesce(c.p->>'alertname', c.p->'alerts'->0->'labels'->>'alertname') AS opened_alertname,
      CASE WHEN (c.p->'alerts'->0->>'opening_differs')::boolean THEN c.p->'alerts'->0->>'opening_runbook_id'
        ELSE c.p->'alerts'->0->>'runbook_id' END AS runbook_id,
      CASE WHEN (c.p->'alerts'->0->>'opening_differs')::boolean THEN c.p->'alerts'->0->>'opening_runbook_url'
        ELSE c.p->'alerts'->0->>'runbook_url' END AS runbook_url,
      c.newest_incident,
      o.new_from, o.new_count, o.new_listed
    FROM candidates c,
      LATERAL (SELECT min(x.starts_at) AS new_from, count(*) AS new_count,
        jsonb_agg(intake_listed_alert(x.fingerprint, x.labels, x.starts_at_iso) ORDER BY x.pos) AS new_listed
        FROM intake_occurrences(c.p) x) o),
  -- Unreferenced, as a data-modifying WITH may be: it runs all the same.
  logged AS (
    INSERT INTO notifications (content_hash, receiver, group_key, status, alert_count, truncated_alerts,
      first_received_at, last_received_at)
    SELECT p->>'content_hash', p->>'receiver', p->>'group_key', p->>'status', (p->>'alert_count')::int,
      (p->>'truncated_alerts')::int, now_at, now_at
    FROM members ORDER BY lock_key, i),
  opened AS (
    INSERT INTO incidents (group_identity, receiver, group_key, group_labels, status, title, severity, alertname,
      external_url, started_at, resolved_at, previous_incident_id, runbook_id, runbook_sha, runbook_external_url)
    SELECT p->>'identity', p->>'receiver', p->>'group_key', p->'group_labels', 'firing',
      coalesce(nullif(p->>'summary', ''), nullif(first_new->'annotations'->>'summary', ''),
        nullif(opened_alertname, ''), 'Alert group'),
      coalesce(p->>'severity', first_new->'labels'->>'severity'), opened_alertname, p->>'external_url', new_from,
      NULL, newest_incident, runbook_id, p->'runbook_shas'->>runbook_id, runbook_url
    FROM members ORDER BY lock_key, i
    RETURNING id, group_identity),
  homes AS (
    SELECT members.*, opened.id AS home FROM members JOIN opened ON opened.group_identity = members.p->>'identity'),
  stored AS (
    INSERT INTO alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at,
      generator_url, runbook_id, received_at)
    SELECT h.home, x.key, x.fingerprint, x.status, x.labels, x.annotations, x.starts_at, x.ends_at, x.generator_url,
      x.runbook_id, h.now_at
    -- No ON CONFLICT (0018): under the locks, none of these keys is stored and no other member names one.
    FROM homes h, intake_occurrences(h.p) x ORDER BY h.lock_key, h.i, x.pos
    RETURNING incident_id),
  appended AS (
    INSERT INTO timeline_events (incident_id, type, at, actor, data)
    SELECT h.home, e.type, e.at, h.p->>'actor', e.data
    FROM homes h, LATERAL (VALUES
      (1, 'incident.opened', h.new_from, jsonb_build_object('receiver', h.p->>'receiver',
        'groupKey', h.p->>'group_key', 'previousIncidentId', h.newest_incident)),
      (2, 'runbook.linked', h.now_at, jsonb_build_object('runbookId', h.runbook_id,
        'sha', h.p->'runbook_shas'->>h.runbook_id)),
      (3, 'alert.firing', h.new_from, intake_alerts_listed(h.new_listed, h.new_count))) AS e(n, type, at, data)
    WHERE e.n <> 2 OR h.runbook_id IS NOT NULL
    ORDER BY h.lock_key, h.i, e.n
    RETURNING id, incident_id, type)
  SELECT coalesce(array_agg(h.i), '{}'), jsonb_object_agg(h.i::text, jsonb_build_object('fresh', true,
    'changed', (SELECT count(*) FROM stored s WHERE s.incident_id = h.home),
    'events', (SELECT jsonb_agg(jsonb_build_array(a.incident_id, a.type) ORDER BY a.id) FROM appended a
      WHERE a.incident_id = h.home)))
  INTO together, together_answers
  FROM homes h;

  -- The others one by one, in lock order, as before.
  FOR member IN
    SELECT m.p, m.i FROM jsonb_array_elements(ps) WITH ORDINALITY AS m(p, i)
    WHERE NOT m.i = ANY (together)
    ORDER BY hashtextextended(m.p->>'identity', 0), m.i
  LOOP
    PERFORM set_config('lock_timeout', initial_lock_timeout, true),
      set_config('plan_cache_mode', initial_plan_cache_mode, true);
    answers[member.i] := ingest_notification(member.p);
  END LOOP;
  RETURN (SELECT jsonb_agg(coalesce(together_answers->(g.i::text), answers[g.i]) ORDER BY g.i)
    FROM generate_series(1, jsonb_array_length(ps)) AS g(i));
END $$;
