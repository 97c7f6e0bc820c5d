CREATE TABLE "replica_listeners" (
	"channel" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Every timeline change went to one channel that every replica LISTENed on, its own included, so even a single replica
-- NOTIFYed on every commit that appended an event. A notifying commit holds PostgreSQL's cluster-wide NOTIFY lock
-- (async.c, PreCommit_Notify: "serialize writers … till after commit"), WAL flush included: such commits go one at a
-- time. Timeline inserts by 8 clients: 3,800–4,250 commits/s so, 8,600–9,600 without (test/bench/RESULTS.md, "A
-- replica's own echo"). Now each replica listens on a channel of its own, named as its LISTEN connection
-- (`alertbook-listener <replica>`), listed in replica_listeners, and a change is NOTIFYed to every listed channel but
-- the writer's own: a single replica notifies nothing. Writers of no replica (the CLI) notify every one.
-- The shared lock, held until commit, is what a joining listener waits for (src/db/replica-link.ts): a transaction that
-- read the list before the listener's row was there is waited for, then read, so nothing falls between.
-- A replica of the version before listens on the old channel and hears nothing from here on: during a rolling deploy
-- its viewers see other replicas' changes at their next re-read (reconnect or reload), not live.
CREATE OR REPLACE FUNCTION "notify_incident_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  own_channel text := 'alertbook-listener ' || substring(current_setting('application_name') FROM '^alertbook (.+)$');
  channels text[];
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('alertbook:replica-listeners', 0));
  SELECT array_agg(l.channel) INTO channels FROM replica_listeners l WHERE l.channel IS DISTINCT FROM own_channel;
  IF channels IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify(c.channel, x.change)
  FROM (SELECT json_build_object('i', "incident_id", 't', array_agg(DISTINCT "type"), 'e', max("id"))::text AS change
    FROM "appended" GROUP BY "incident_id") x, unnest(channels) AS c(channel);
  RETURN NULL;
END
$$;
