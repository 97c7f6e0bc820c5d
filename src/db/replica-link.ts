import { sql } from 'drizzle-orm';
import type { IncidentBus } from '../domain/incident-bus.js';
import { errorFields, type Logger } from '../logger.js';
import { postgresClient, replicaApplicationName, rowsOf, type Database } from './client.js';

/** The Postgres channel every replica of one database LISTENs on (the trigger of migrations 0010 and 0011 names it too). */
export const INCIDENT_CHANGES_CHANNEL = 'alertbook_incident_changes';

/** How the LISTEN connections show in pg_stat_activity (followed by the replica's id). */
export const LISTENER_APPLICATION_NAME = 'alertbook-listener';

/**
 * What the `timeline_events_notify` trigger (migrations 0010, 0011) NOTIFYs for each incident a statement appended
 * events to: small, receivers re-read the incident (the 8,000-byte payload limit never matters).
 */
interface ChangeMessage {
  /** The writer's application_name: a replica ignores its own echo (replicaApplicationName); the CLI's is another. */
  r: string;
  i: number;
  t: string[];
  /** The newest event id the statement appended to the incident: how far this replica has seen. */
  e: number | null;
}

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
}

/**
 * Joins this process's incident bus to every other replica's on the same
 * database: the timeline changes other replicas commit (NOTIFYed by the
 * database itself, in the committing transaction) are published to this bus's
 * listeners; this replica's own changes its writers publish after their commit.
 * The LISTEN connection is its own; when it drops it is opened again, and the
 * changes committed meanwhile (timeline events newer than the last one seen)
 * are published, so viewers re-read what they show.
 */
export async function linkReplicas(options: ReplicaLinkOptions): Promise<ReplicaLink> {
  const { database, bus, logger } = options;
  const reconnectDelay = options.reconnectDelay ?? backoffDelay;
  const { replica } = database;
  const ownName = replicaApplicationName(replica);
  let seenEventId = 0;
  let stopped = false;
  let lost = false;
  let reconnecting: Promise<void> | null = null;

  const receive = (channel: string, payload: string) => {
    if (channel !== INCIDENT_CHANGES_CHANNEL) return;
    try {
      const message = JSON.parse(payload) as ChangeMessage;
      seenEventId = Math.max(seenEventId, Number(message.e ?? 0));
      if (message.r !== ownName) bus.publish({ incidentId: Number(message.i), types: message.t });
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
    connection: { application_name: `${LISTENER_APPLICATION_NAME} ${replica}` },
  } as Parameters<typeof postgresClient>[1]);
  const listen = () => listener.unsafe(`listen ${INCIDENT_CHANGES_CHANNEL}`);

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
        await listen();
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

  await listen();
  const [newest] = rowsOf<{ id: string | null }>(
    await database.db.execute(sql`select max(id) as id from timeline_events`),
  );
  seenEventId = Number(newest?.id ?? 0);

  return {
    replica,
    async stop() {
      stopped = true;
      await reconnecting;
      await listener.end({ timeout: 5 });
    },
  };
}

/** 50 ms, doubling, at most 2 s: a restarted server is listened to again within seconds. */
function backoffDelay(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** (attempt - 1), 2_000)));
}
