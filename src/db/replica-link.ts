import { sql } from 'drizzle-orm';
import type { IncidentBus } from '../domain/incident-bus.js';
import { errorFields, type Logger } from '../logger.js';
import { postgresClient, rowsOf, type Database } from './client.js';

/**
 * How the LISTEN connections show in pg_stat_activity (followed by the replica's id); that name is also the channel
 * the replica listens on, listed in `replica_listeners` (migration 0020).
 */
export const LISTENER_APPLICATION_NAME = 'alertbook-listener';

/**
 * What the `timeline_events_notify` trigger (migrations 0010, 0020) NOTIFYs each other replica for each incident a
 * statement appended events to: small, receivers re-read the incident (the 8,000-byte payload limit never matters).
 */
interface ChangeMessage {
  i: number;
  t: string[];
  /** The newest event id the statement appended to the incident: how far this replica has seen. */
  e: number | null;
}

// Checked this often while a joining listener waits for those writers; past the limit it goes on, with a warning.
const WRITERS_POLL_MS = 10;
const WRITERS_WAIT_LIMIT_MS = 10_000;
// How often a listening replica marks its row seen, and moves its catch-up floor up to the newest event (its own
// changes are not NOTIFYed to it: without this a reconnect would re-read every event it wrote since it started).
const HEARTBEAT_MS = 10_000;
// A row not seen for this long is a crashed replica's: the others delete it at their next heartbeat or join.
const LISTED_UNSEEN_S = 60;

export interface ReplicaLink {
  readonly replica: string;
  stop(): Promise<void>;
}

export interface ReplicaLinkOptions {
  database: Pick<Database, 'db' | 'target' | 'replica'>;
  bus: IncidentBus;
  logger: Logger;
  /** Waited before each attempt to LISTEN again after the connection dropped (attempt 1, 2, …). */
  reconnectDelay?: (attempt: number) => Promise<void>;
  /** How often the replica marks itself seen while listening (HEARTBEAT_MS unless told). */
  heartbeatMs?: number;
}

/**
 * Joins this process's incident bus to every other replica's on the same
 * database: the timeline changes other replicas commit (NOTIFYed by the
 * database itself, in the committing transaction, to every listed replica but
 * the writer) are published to this bus's listeners; this replica's own
 * changes its writers publish after their commit. The LISTEN connection is its
 * own; when it drops it is opened again, and the changes committed meanwhile
 * (timeline events newer than the last one seen) are published, so viewers
 * re-read what they show.
 */
export async function linkReplicas(options: ReplicaLinkOptions): Promise<ReplicaLink> {
  const { database, bus, logger } = options;
  const reconnectDelay = options.reconnectDelay ?? backoffDelay;
  const { replica } = database;
  const channel = `${LISTENER_APPLICATION_NAME} ${replica}`;
  let seenEventId = 0;
  let stopped = false;
  let lost = false;
  let reconnecting: Promise<void> | null = null;

  const receive = (from: string, payload: string) => {
    if (from !== channel) return;
    try {
      const message = JSON.parse(payload) as ChangeMessage;
      seenEventId = Math.max(seenEventId, Number(message.e ?? 0));
      bus.publish({ incidentId: Number(message.i), types: message.t });
    } catch (error) {
      logger.error('an incident change notification could not be read', { payload, ...errorFields(error) });
    }
  };

  const listener = postgresClient(database.target, {
    max: 1,
    // The connection is meant to stay: never closed for idleness or age.
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    onnotice: () => {},
    onnotify: receive,
    onclose: () => dropped(),
    connection: { application_name: channel },
  } as Parameters<typeof postgresClient>[1]);

  /**
   * Listens, then lists this replica (dropping rows not seen for a while, as every heartbeat does: a crashed replica
   * leaves its row, and notifying it would cost each commit NOTIFY's lock for nothing). Writers read the list when
   * they append, so one that read it just before is waited for: it holds the listeners' lock shared until its commit,
   * and what it committed is then read by the caller, not missed.
   */
  const join = async () => {
    await listener.unsafe(`listen "${channel}"`);
    await listener`insert into replica_listeners (channel) values (${channel})
      on conflict (channel) do update set seen_at = now()`;
    await delistGone();
    await earlierWritersDone();
  };

  const delistGone = () =>
    listener`delete from replica_listeners where seen_at < now() - ${`${LISTED_UNSEEN_S} seconds`}::interval`;

  const earlierWritersDone = async () => {
    const holders = async (among: string[] | null) =>
      (
        await listener<{ holders: string[] }[]>`
          select coalesce(array_agg(l.virtualtransaction), '{}') as holders
          from pg_locks l, (select hashtextextended('alertbook:replica-listeners', 0) as k) c
          where l.locktype = 'advisory' and l.granted and l.objsubid = 1
            and l.database = (select oid from pg_database where datname = current_database())
            and l.classid::bigint = (c.k >> 32) & 4294967295 and l.objid::bigint = c.k & 4294967295
            and (${among}::text[] is null or l.virtualtransaction = any(${among}::text[]))`
      )[0]!.holders;
    const giveUpAt = Date.now() + WRITERS_WAIT_LIMIT_MS;
    // SQL has no wait for another session's transaction to end: polled (these are commits under way).
    for (let waiting = await holders(null); waiting.length > 0; waiting = await holders(waiting)) {
      if (Date.now() > giveUpAt) {
        logger.warn('transactions writing timeline events are still open; listening without waiting for them', {
          transactions: waiting,
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, WRITERS_POLL_MS));
    }
  };

  const newestEventId = async () =>
    Number(
      rowsOf<{ id: string | null }>(await database.db.execute(sql`select max(id) as id from timeline_events`))[0]?.id ??
        0,
    );

  /** Delivers what other replicas committed while nothing was listening. */
  const catchUp = async () => {
    const rows = rowsOf<{ incidentId: string; types: string[]; last: string }>(
      await database.db.execute(sql`
        select incident_id as "incidentId", array_agg(distinct type) as types, max(id) as last
        from timeline_events where id > ${seenEventId} group by incident_id order by max(id)`),
    );
    for (const row of rows) {
      seenEventId = Math.max(seenEventId, Number(row.last));
      bus.publish({ incidentId: Number(row.incidentId), types: row.types });
    }
    return rows.length;
  };

  const relisten = async () => {
    logger.warn('the LISTEN connection to the other replicas dropped; reconnecting');
    for (let attempt = 1; lost && !stopped; attempt++) {
      await reconnectDelay(attempt);
      if (stopped) return;
      lost = false;
      try {
        await join();
      } catch (error) {
        lost = true;
        logger.warn('LISTEN again failed; retrying', { attempt, ...errorFields(error) });
      }
    }
    if (stopped) return;
    const incidents = await catchUp();
    logger.info('listening to the other replicas again', { incidentsChangedMeanwhile: incidents });
  };

  function dropped() {
    if (stopped) return;
    lost = true;
    reconnecting ??= relisten()
      .catch((error: unknown) =>
        logger.error('catching up after the LISTEN connection dropped failed', errorFields(error)),
      )
      .finally(() => {
        reconnecting = null;
        // Dropped again while catching up: go round once more.
        if (lost) dropped();
      });
  }

  /**
   * Marks this replica seen, moves the catch-up floor up (while listed and listening, every other replica's change up
   * to the newest event has been heard) and delists the replicas gone. Its own row deleted meanwhile (this process
   * stalled past the limit), it lists itself again and catches up with what it missed, as after a reconnect.
   */
  const beat = async () => {
    // One statement, on the connection that listens: the update, the delisting and the read of the newest event.
    const [mark] = await listener<{ listed: boolean; newest: string | null }[]>`
      with seen as (update replica_listeners set seen_at = now() where channel = ${channel} returning channel),
        gone as (delete from replica_listeners
          where channel <> ${channel} and seen_at < now() - ${`${LISTED_UNSEEN_S} seconds`}::interval)
      select exists (select from seen) as listed, (select max(id) from timeline_events) as newest`;
    if (mark?.listed) {
      seenEventId = Math.max(seenEventId, Number(mark.newest ?? 0));
      return;
    }
    logger.warn('this replica had been delisted as gone; listing it again');
    await join();
    await catchUp();
  };

  await join();
  seenEventId = await newestEventId();
  let beating: Promise<void> | null = null;
  const heartbeat = setInterval(() => {
    // One at a time: a slow database must not pile them up.
    if (lost || reconnecting || beating) return;
    beating = beat()
      .catch((error: unknown) => logger.warn('marking this replica seen failed', errorFields(error)))
      .finally(() => (beating = null));
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  return {
    replica,
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      // A heartbeat under way could list this replica again after it delisted itself.
      await beating;
      await reconnecting;
      if (!lost) {
        await listener`delete from replica_listeners where channel = ${channel}`.catch((error: unknown) =>
          logger.warn('could not delist this replica; the others will within a minute', errorFields(error)),
        );
      }
      await listener.end({ timeout: 5 });
    },
  };
}

/** 50 ms, doubling, at most 2 s: a restarted server is listened to again within seconds. */
function backoffDelay(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** (attempt - 1), 2_000)));
}
