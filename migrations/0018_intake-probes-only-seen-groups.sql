-- What a notification cost the database beyond its rows (test/bench/RESULTS.md, "Where a 100-alert notification's
-- time goes"): the stored-occurrence probe for a group that cannot have any, ON CONFLICT on an insert that cannot
-- conflict, and each listed alert built by jsonb_build_object, which looks up the type of every argument on every
-- call. ingest_notification is otherwise unchanged from 0015.

-- jsonb_object(keys, values) builds the same object (alertname null when the alert has none; label values are
-- strings) without the per-argument type lookups: a quarter less per listed alert.
CREATE OR REPLACE FUNCTION "intake_listed_alert"(fingerprint text, labels jsonb, starts_at_iso text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_object('{fingerprint,alertname,startsAt}', ARRAY[fingerprint, labels->>'alertname', starts_at_iso])
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "ingest_notification"(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  now_at timestamptz := (p->>'now')::timestamptz;
  times_delivered int;
  -- The notification's occurrences already stored: key → [status, incident id].
  stored jsonb;
  stored_resolved boolean;
  stored_in bigint[];
  open_incident bigint;
  -- When the group has no open incident: its most recent one, which a re-fire links back to.
  newest_incident bigint;
  -- The occurrences not stored (under the group lock, exactly the ones this delivery inserts), in one pass.
  new_count bigint;
  first_new jsonb;
  new_from timestamptz;
  new_firing boolean;
  new_listed jsonb;
  arrived_resolved_count bigint;
  arrived_resolved_listed jsonb;
  arrived_resolved_until timestamptz;
  opened_resolved_at timestamptz;
  -- The incident the new occurrences go to: the open one, or the one opened here.
  new_home bigint;
  opened_alertname text;
  opening_runbook_id text;
  opening_runbook_url text;
  pending jsonb := '[]';
  has_resolving boolean := false;
  to_judge bigint[] := '{}';
  resolving_keys text[];
  resolving_ends timestamptz[];
  inserted_count bigint := 0;
  resolved_count bigint := 0;
  written jsonb;
BEGIN
  -- Serialises this delivery with every other one for the group until the transaction ends, so that the reads
  -- below see every delivery for it committed before. Intake's reads are key lookups: an index probe is right at
  -- any table size, and a cached plan made while a table was young would otherwise stay a sequential scan.
  IF p ? 'lock_timeout_ms' THEN
    PERFORM set_config('lock_timeout', p->>'lock_timeout_ms', true);
  END IF;
  PERFORM lock_alert_group(p->>'identity'), set_config('enable_seqscan', 'off', true);

  INSERT INTO notifications (content_hash, receiver, group_key, status, alert_count, truncated_alerts,
    first_received_at, last_received_at)
  VALUES (p->>'content_hash', p->>'receiver', p->>'group_key', p->>'status', (p->>'alert_count')::int,
    (p->>'truncated_alerts')::int, now_at, now_at)
  ON CONFLICT (content_hash) DO UPDATE
    SET deliveries = notifications.deliveries + 1, last_received_at = excluded.last_received_at
  RETURNING deliveries INTO times_delivered;
  -- This exact content was committed before: a retry, a repeat_interval resend, an HA twin.
  IF times_delivered > 1 THEN
    RETURN jsonb_build_object('fresh', false, 'changed', 0, 'events', '[]'::jsonb);
  END IF;

  -- Two index probes: the open incident (incidents_one_open_per_group), else the newest (incidents_group_started_idx).
  SELECT i.id INTO open_incident FROM incidents i WHERE i.group_identity = p->>'identity' AND i.status = 'firing';
  IF open_incident IS NULL THEN
    SELECT i.id INTO newest_incident FROM incidents i WHERE i.group_identity = p->>'identity'
    ORDER BY i.started_at DESC NULLS LAST, i.id DESC LIMIT 1;
  END IF;
  new_home := open_incident;

  -- A group that never had an incident has no occurrence stored: an occurrence key is a hash of its group with the
  -- alert (src/domain/incidents/notification.ts), an occurrence is stored only in an incident of its group, and an
  -- incident goes only with its alerts (ON DELETE CASCADE). So such a group skips the probe (a third of a
  -- millisecond at 100 alerts).
  -- `= any(array(…))` is an index probe per key, whatever plan plpgsql cached while the table was small; a join
  -- (or `in (select …)`) let the planner read all of the key index instead. Only the keys are read off the JSON.
  IF open_incident IS NULL AND newest_incident IS NULL THEN
    stored := '{}';
    stored_resolved := false;
    stored_in := '{}';
  ELSE
    SELECT coalesce(jsonb_object_agg(a.occurrence_key, jsonb_build_array(a.status, a.incident_id)), '{}'),
      coalesce(bool_or(a.status = 'resolved'), false), coalesce(array_agg(DISTINCT a.incident_id), '{}')
    INTO stored, stored_resolved, stored_in
    FROM alerts a
    WHERE a.occurrence_key = ANY (ARRAY(SELECT e->>'key' FROM jsonb_array_elements(p->'alerts') e));
  END IF;

  SELECT count(*), p->'alerts'->(min(o.pos)::int - 1), min(o.starts_at), coalesce(bool_or(o.status = 'firing'), false),
    jsonb_agg(intake_listed_alert(o.fingerprint, o.labels, o.starts_at_iso) ORDER BY o.pos),
    count(*) FILTER (WHERE o.status = 'resolved'),
    jsonb_agg(intake_listed_alert(o.fingerprint, o.labels, o.starts_at_iso) ORDER BY o.pos)
      FILTER (WHERE o.status = 'resolved'),
    max(coalesce(o.ends_at, o.starts_at)) FILTER (WHERE o.status = 'resolved'),
    max(coalesce(o.ends_at, now_at))
  INTO new_count, first_new, new_from, new_firing, new_listed, arrived_resolved_count, arrived_resolved_listed,
    arrived_resolved_until, opened_resolved_at
  FROM intake_occurrences(p) o WHERE NOT stored ? o.key;

  IF new_count > 0 AND open_incident IS NULL THEN
    -- Named by the first new alert, with the notification's common labels and annotations over its own.
    opened_alertname := coalesce(p->>'alertname', first_new->'labels'->>'alertname');
    IF (first_new->>'opening_differs')::boolean THEN
      opening_runbook_id := first_new->>'opening_runbook_id';
      opening_runbook_url := first_new->>'opening_runbook_url';
    ELSE
      opening_runbook_id := first_new->>'runbook_id';
      opening_runbook_url := first_new->>'runbook_url';
    END IF;
    INSERT INTO incidents (group_identity, receiver, group_key, group_labels, status, title, severity, alertname,
      external_url, started_at, resolved_at, previous_incident_id, runbook_id, runbook_sha, runbook_external_url)
    VALUES (p->>'identity', p->>'receiver', p->>'group_key', p->'group_labels',
      CASE WHEN new_firing THEN 'firing' ELSE 'resolved' END,
      coalesce(nullif(p->>'summary', ''), nullif(first_new->'annotations'->>'summary', ''),
        nullif(opened_alertname, ''), 'Alert group'),
      coalesce(p->>'severity', first_new->'labels'->>'severity'), opened_alertname, p->>'external_url', new_from,
      CASE WHEN new_firing THEN NULL ELSE opened_resolved_at END, newest_incident,
      opening_runbook_id, p->'runbook_shas'->>opening_runbook_id, opening_runbook_url)
    RETURNING id INTO new_home;

    pending := pending || jsonb_build_object('incident_id', new_home, 'type', 'incident.opened', 'at', new_from,
      'data', jsonb_build_object('receiver', p->>'receiver', 'groupKey', p->>'group_key',
        'previousIncidentId', newest_incident));
    IF opening_runbook_id IS NOT NULL THEN
      pending := pending || jsonb_build_object('incident_id', new_home, 'type', 'runbook.linked', 'at', now_at,
        'data', jsonb_build_object('runbookId', opening_runbook_id, 'sha', p->'runbook_shas'->>opening_runbook_id));
    END IF;
    IF NOT new_firing THEN
      -- A resolved-only notification for a group never seen firing: still recorded.
      pending := pending || jsonb_build_object('incident_id', new_home, 'type', 'incident.resolved',
        'at', opened_resolved_at, 'data', jsonb_build_object('firingNeverSeen', true));
    END IF;
  END IF;

  -- One event per batch of alerts that changed together (a 10,000-alert storm is one line, not 10,000), listing
  -- the first 50: the new ones firing, those of them already resolved, then the stored firing ones now resolved.
  IF new_count > 0 THEN
    pending := pending || jsonb_build_object('incident_id', new_home, 'type', 'alert.firing', 'at', new_from,
      'data', intake_alerts_listed(new_listed, new_count));
  END IF;
  IF arrived_resolved_count > 0 THEN
    pending := pending || jsonb_build_object('incident_id', new_home, 'type', 'alert.resolved',
      'at', arrived_resolved_until, 'data', intake_alerts_listed(arrived_resolved_listed, arrived_resolved_count));
  END IF;
  -- Stored occurrences only ever move firing → resolved; their events go per incident, in the notification's order.
  IF cardinality(stored_in) > 0 THEN
    SELECT pending || coalesce(jsonb_agg(x.event ORDER BY x.first_pos), '[]'), count(*) > 0
    INTO pending, has_resolving
    FROM (
      SELECT min(o.pos) AS first_pos, jsonb_build_object('incident_id', o.incident_id, 'type', 'alert.resolved',
        'at', max(coalesce(o.ends_at, o.starts_at)),
        'data', intake_alerts_listed(
          jsonb_agg(intake_listed_alert(o.fingerprint, o.labels, o.starts_at_iso) ORDER BY o.pos), count(*))) AS event
      FROM (SELECT r.*, (stored->r.key->>1)::bigint AS incident_id FROM intake_occurrences(p) r
        WHERE r.status = 'resolved' AND stored->r.key->>0 = 'firing') o
      GROUP BY o.incident_id) x;
  END IF;
  -- Events from reconciliation say where their alerts came from.
  IF p ? 'source' THEN
    SELECT coalesce(jsonb_agg(e || jsonb_build_object('data', coalesce(e->'data', '{}') || jsonb_build_object('source',
      p->'source')) ORDER BY n), '[]')
    INTO pending FROM jsonb_array_elements(pending) WITH ORDINALITY AS x(e, n);
  END IF;

  -- Exactly the occurrences the probe did not find: under the group's lock no other delivery can store one of them
  -- meanwhile, so no conflict is possible, and ON CONFLICT's speculative insertion (an eighth of a 100-alert insert)
  -- bought nothing. Were one to happen all the same (a broken invariant, not a race), the delivery fails loudly:
  -- a 500 with the error logged, which Alertmanager retries, rather than an occurrence silently left out.
  IF new_count > 0 THEN
    INSERT INTO alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at,
      generator_url, runbook_id, received_at)
    SELECT new_home, o.key, o.fingerprint, o.status, o.labels, o.annotations, o.starts_at, o.ends_at, o.generator_url,
      o.runbook_id, now_at
    FROM intake_occurrences(p) o WHERE NOT stored ? o.key ORDER BY o.pos;
    GET DIAGNOSTICS inserted_count = ROW_COUNT;
  END IF;

  -- An incident resolves when every alert it holds is resolved: judged from the stored alerts, never from the
  -- payload's status, never from a truncated notification (the alerts left out may still fire). Every incident
  -- the notification names is judged, not only those it changed: an earlier truncated one may have deferred it.
  -- Nothing can settle when neither the notification nor the store has a resolved alert among these.
  IF (p->>'truncated_alerts')::int = 0 AND (stored_resolved OR has_resolving OR arrived_resolved_count > 0) THEN
    to_judge := stored_in || CASE WHEN open_incident IS NULL THEN '{}'::bigint[] ELSE ARRAY[open_incident] END;
  END IF;
  IF has_resolving OR cardinality(to_judge) > 0 THEN
    -- What follows is written so that its only plan is a probe by key, whatever the tables' sizes: planned once per
    -- session, not again on every call (which was most of a resolving notification's time). Left to the planner's
    -- choice, the statements before keep the firing path as fast as it was (forcing them measured ~9 % slower).
    PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
  END IF;
  IF has_resolving THEN
    -- The stored occurrences read firing above; under the group's lock nothing else moves them. Updated by their
    -- keys alone (an index-usable `status` condition would let a plan read every firing alert instead).
    SELECT array_agg(o.key), array_agg(coalesce(o.ends_at, now_at)) INTO resolving_keys, resolving_ends
    FROM intake_occurrences(p) o WHERE o.status = 'resolved' AND stored->o.key->>0 = 'firing';
    UPDATE alerts a SET status = 'resolved', ends_at = r.ends_at
    FROM unnest(resolving_keys, resolving_ends) AS r(key, ends_at)
    WHERE a.occurrence_key = ANY (resolving_keys) AND a.occurrence_key = r.key;
    GET DIAGNOSTICS resolved_count = ROW_COUNT;
  END IF;
  IF cardinality(to_judge) > 0 THEN
    SELECT pending || coalesce(jsonb_agg(jsonb_build_object('incident_id', s.id, 'type', 'incident.resolved',
      'at', s.resolved_at) ORDER BY s.id), '[]')
    INTO pending FROM settle_incidents(to_judge, now_at) s;
  END IF;

  -- One insert, so one NOTIFY per incident (timeline_events_notify); ids follow the order above.
  IF jsonb_array_length(pending) > 0 THEN
    WITH appended AS (
      INSERT INTO timeline_events (incident_id, type, at, actor, data)
      SELECT e.incident_id, e.type, e.at, p->>'actor', coalesce(e.data, '{}')
      FROM ROWS FROM (jsonb_to_recordset(pending) AS (incident_id bigint, type text, at timestamptz, data jsonb))
        WITH ORDINALITY AS e(incident_id, type, at, data, n)
      ORDER BY e.n
      RETURNING id, incident_id, type)
    SELECT jsonb_agg(jsonb_build_array(a.incident_id, a.type) ORDER BY a.id) INTO written FROM appended a;
  END IF;
  RETURN jsonb_build_object('fresh', true, 'changed', inserted_count + resolved_count,
    'events', coalesce(written, '[]'));
END
$$;
