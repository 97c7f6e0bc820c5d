-- Intake of one Alertmanager notification as ONE statement: a single round
-- trip, atomic without an explicit transaction. Round trips are what bound
-- intake throughput, so the database logic of ingest-notification.ts lives
-- here; everything else (validation, keys, hashes, titles, runbook links) is
-- computed in TypeScript and arrives in `doc`:
--   { identity, contentHash, now, truncated,
--     delivery:  { receiver, groupKey, status, alertCount },
--     incident:  { receiver, groupKey, groupLabels, title, severity, alertname, externalUrl,
--                  runbookId, runbookSha, runbookExternalUrl },
--     occurrences: [{ key, fingerprint, status, labels, annotations, starts_at, ends_at,
--                     generator_url, runbook_id }] }   -- one per occurrence key, in payload order
-- Returns { fresh, changed, events: [{ incidentId, type }] } (the events are for live viewers).
-- The API's timestamp format (JavaScript's toISOString) for timestamps inside event data.
CREATE FUNCTION alertbook_iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
--> statement-breakpoint
CREATE FUNCTION alertbook_ingest(doc jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := (doc->>'now')::timestamptz;
  v_identity text := doc->>'identity';
  v_deliveries integer;
  v_open bigint;
  v_previous bigint;
  v_started timestamptz;
  v_any_firing boolean;
  v_resolved_at timestamptz;
  v_inserted integer := 0;
  v_resolved integer := 0;
  v_events jsonb := '[]'::jsonb;
  v_more jsonb;
BEGIN
  -- Serialises the lifecycle decisions (open, join, resolve) of concurrent
  -- deliveries for one group. Each statement below takes a fresh snapshot, so
  -- it sees every delivery for this group that committed before the lock.
  PERFORM pg_advisory_xact_lock(hashtextextended(v_identity, 0));

  -- Identical content again (retry, repeat_interval resend, HA twin): count it, change nothing.
  INSERT INTO notifications (content_hash, receiver, group_key, status, alert_count, truncated_alerts, first_received_at, last_received_at)
  VALUES (doc->>'contentHash', doc#>>'{delivery,receiver}', doc#>>'{delivery,groupKey}', doc#>>'{delivery,status}',
          (doc#>>'{delivery,alertCount}')::integer, (doc->>'truncated')::integer, v_now, v_now)
  ON CONFLICT (content_hash) DO UPDATE SET deliveries = notifications.deliveries + 1, last_received_at = v_now
  RETURNING deliveries INTO v_deliveries;
  IF v_deliveries > 1 THEN
    RETURN jsonb_build_object('fresh', false, 'changed', 0, 'events', '[]'::jsonb);
  END IF;

  -- New occurrences join the group's open incident, or open one.
  SELECT min(o.starts_at), bool_or(o.status = 'firing'), max(coalesce(o.ends_at, v_now))
    INTO v_started, v_any_firing, v_resolved_at
    FROM jsonb_to_recordset(doc->'occurrences') AS o(key text, status text, starts_at timestamptz, ends_at timestamptz)
   WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.occurrence_key = o.key);

  IF v_started IS NOT NULL THEN
    SELECT id INTO v_open FROM incidents WHERE group_identity = v_identity AND status = 'firing';
    IF v_open IS NULL THEN
      SELECT id INTO v_previous FROM incidents WHERE group_identity = v_identity ORDER BY started_at DESC, id DESC LIMIT 1;
      -- The partial unique index incidents_one_open_per_group backs the lock:
      -- a second open incident for the group fails the statement instead.
      INSERT INTO incidents (group_identity, receiver, group_key, group_labels, status, title, severity, alertname, external_url,
                             started_at, resolved_at, previous_incident_id, runbook_id, runbook_sha, runbook_external_url)
      VALUES (v_identity, doc#>>'{incident,receiver}', doc#>>'{incident,groupKey}', doc#>'{incident,groupLabels}',
              CASE WHEN v_any_firing THEN 'firing' ELSE 'resolved' END,
              doc#>>'{incident,title}', doc#>>'{incident,severity}', doc#>>'{incident,alertname}', doc#>>'{incident,externalUrl}',
              v_started, CASE WHEN v_any_firing THEN NULL ELSE v_resolved_at END, v_previous,
              doc#>>'{incident,runbookId}', doc#>>'{incident,runbookSha}', doc#>>'{incident,runbookExternalUrl}')
      RETURNING id INTO v_open;
      WITH written AS (
        INSERT INTO timeline_events (incident_id, type, at, actor, data)
        SELECT v_open, e.type, e.at, 'alertmanager', e.data
          FROM (VALUES
          (1, 'incident.opened', v_started,
              jsonb_build_object('receiver', doc#>'{incident,receiver}', 'groupKey', doc#>'{incident,groupKey}', 'previousIncidentId', v_previous)),
          (2, 'runbook.linked', v_now,
              jsonb_build_object('runbookId', doc#>'{incident,runbookId}', 'sha', doc#>'{incident,runbookSha}')),
          -- A resolved-only notification for a group never seen firing: still recorded.
          (3, 'incident.resolved', v_resolved_at, jsonb_build_object('firingNeverSeen', true))
        ) AS e(ord, type, at, data)
         WHERE e.ord = 1 OR (e.ord = 2 AND doc#>>'{incident,runbookId}' IS NOT NULL) OR (e.ord = 3 AND NOT v_any_firing)
         ORDER BY e.ord
        RETURNING type
      )
      SELECT jsonb_agg(jsonb_build_object('incidentId', v_open, 'type', type)) INTO v_more FROM written;
      v_events := v_events || v_more;
    END IF;

    -- One alert.firing event per batch (and alert.resolved for those that
    -- arrive already resolved), listing the first 50: the alerts table holds
    -- every alert, the timeline says what happened when.
    WITH inserted AS (
      INSERT INTO alerts (incident_id, occurrence_key, fingerprint, status, labels, annotations, starts_at, ends_at, generator_url, runbook_id, received_at)
      SELECT v_open, o.key, o.fingerprint, o.status, o.labels, o.annotations, o.starts_at, o.ends_at, o.generator_url, o.runbook_id, v_now
        FROM jsonb_to_recordset(doc->'occurrences') AS o(key text, fingerprint text, status text, labels jsonb, annotations jsonb,
                                                       starts_at timestamptz, ends_at timestamptz, generator_url text, runbook_id text)
      ON CONFLICT (occurrence_key) DO NOTHING
      RETURNING fingerprint, status, labels->>'alertname' AS alertname, starts_at, ends_at
    ),
    batches AS (
      SELECT 1 AS ord, 'alert.firing' AS type, min(starts_at) AS at, count(*) AS n,
             jsonb_agg(jsonb_build_object('fingerprint', fingerprint, 'alertname', alertname, 'startsAt', alertbook_iso(starts_at)) ORDER BY starts_at, fingerprint) AS listed
        FROM inserted
      UNION ALL
      SELECT 2, 'alert.resolved', max(coalesce(ends_at, starts_at)), count(*),
             jsonb_agg(jsonb_build_object('fingerprint', fingerprint, 'alertname', alertname, 'startsAt', alertbook_iso(starts_at)) ORDER BY starts_at, fingerprint)
        FROM inserted WHERE status = 'resolved'
    ),
    written AS (
      INSERT INTO timeline_events (incident_id, type, at, actor, data)
      SELECT v_open, type, at, 'alertmanager', jsonb_build_object('count', n, 'alerts', jsonb_path_query_array(listed, '$[0 to 49]'))
        FROM batches WHERE n > 0 ORDER BY ord
      RETURNING type, (data->>'count')::integer AS n
    )
    SELECT coalesce(sum(n) FILTER (WHERE type = 'alert.firing'), 0),
           coalesce(jsonb_agg(jsonb_build_object('incidentId', v_open, 'type', type)), '[]'::jsonb)
      INTO v_inserted, v_more
      FROM written;
    v_events := v_events || v_more;
  END IF;

  -- Known occurrences only ever move firing → resolved: a late "firing" never reopens one.
  WITH resolving AS (
    UPDATE alerts a SET status = 'resolved', ends_at = coalesce(o.ends_at, v_now)
      FROM jsonb_to_recordset(doc->'occurrences') AS o(key text, status text, ends_at timestamptz)
     WHERE o.status = 'resolved' AND a.occurrence_key = o.key AND a.status = 'firing'
    RETURNING a.incident_id, a.fingerprint, a.labels->>'alertname' AS alertname, a.starts_at, a.ends_at
  ),
  written AS (
    INSERT INTO timeline_events (incident_id, type, at, actor, data)
    SELECT incident_id, 'alert.resolved', max(ends_at), 'alertmanager',
           jsonb_build_object('count', count(*), 'alerts', jsonb_path_query_array(
             jsonb_agg(jsonb_build_object('fingerprint', fingerprint, 'alertname', alertname, 'startsAt', alertbook_iso(starts_at)) ORDER BY starts_at, fingerprint),
             '$[0 to 49]'))
      FROM resolving GROUP BY incident_id ORDER BY incident_id
    RETURNING incident_id, (data->>'count')::integer AS n
  )
  SELECT coalesce(sum(n), 0), coalesce(jsonb_agg(jsonb_build_object('incidentId', incident_id, 'type', 'alert.resolved')), '[]'::jsonb)
    INTO v_resolved, v_more
    FROM written;
  v_events := v_events || v_more;

  -- An incident resolves when every alert it holds is resolved: judged from
  -- the stored alerts, never from the payload's top-level status, and never
  -- from a truncated notification (the alerts left out may still fire).
  -- Every incident this notification names is judged, not only those it
  -- changed: an earlier truncated notification may have deferred the call.
  IF (doc->>'truncated')::integer = 0 THEN
    WITH named AS (
      SELECT a.incident_id, bool_or(a.status = 'resolved') AS any_resolved
        FROM alerts a
       WHERE a.occurrence_key IN (SELECT o.key FROM jsonb_to_recordset(doc->'occurrences') AS o(key text))
       GROUP BY a.incident_id
    ),
    settled AS (
      UPDATE incidents i
         SET status = 'resolved',
             resolved_at = (SELECT coalesce(max(ends_at), v_now) FROM alerts WHERE incident_id = i.id)
        FROM named
       WHERE i.id = named.incident_id AND named.any_resolved AND i.status = 'firing'
         AND NOT EXISTS (SELECT 1 FROM alerts f WHERE f.incident_id = i.id AND f.status = 'firing')
      RETURNING i.id, i.resolved_at
    ),
    written AS (
      INSERT INTO timeline_events (incident_id, type, at, actor, data)
      SELECT id, 'incident.resolved', resolved_at, 'alertmanager', '{}'::jsonb FROM settled ORDER BY id
      RETURNING incident_id
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('incidentId', incident_id, 'type', 'incident.resolved')), '[]'::jsonb)
      INTO v_more
      FROM written;
    v_events := v_events || v_more;
  END IF;

  RETURN jsonb_build_object('fresh', true, 'changed', v_inserted + v_resolved, 'events', v_events);
END
$$;
