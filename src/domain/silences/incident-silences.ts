import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AlertmanagerClient, ApiMatcher, ApiSilence } from '../../alertmanager/alertmanager-client.js';
import { alerts, timelineEvents } from '../../db/schema/index.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import { ConflictError, DomainError, NotFoundError } from '../errors.js';
import { assertIncidentExists, type WriteContext } from '../incidents/write-context.js';
import { validate } from '../validate.js';
import { matchersSchema, matchesLabels } from './matchers.js';

export type SilenceApi = Pick<AlertmanagerClient, 'name' | 'silences' | 'createSilence' | 'expireSilence'>;

export interface SilenceContext extends WriteContext {
  /** The configured Alertmanagers: an HA pair gossips silences, so one member is enough. */
  alertmanagers: SilenceApi[];
}

const createSchema = z.object({
  matchers: matchersSchema.optional(),
  duration: z
    .string()
    .refine((text) => (parsePrometheusDuration(text) ?? 0) >= 60, 'must be a duration of at least 1m like 2h'),
  comment: z.string().trim().min(1, 'must say why').max(2_000),
});

/**
 * Silences the incident's alerts in Alertmanager (matchers default to the
 * labels every alert of the incident shares) and records `alert.silenced`.
 */
export async function silenceIncident({
  ctx,
  input,
}: {
  ctx: SilenceContext;
  input: { id: number; actor: string; body: unknown };
}) {
  const body = validate(createSchema, input.body);
  const labelSets = await incidentLabelSets(ctx, input.id);
  const matchers: ApiMatcher[] = body.matchers ?? commonMatchers(labelSets);
  if (matchers.length === 0)
    throw new DomainError('invalid_input', 'matchers: the alerts share no label; name the matchers', 'matchers');
  const startsAt = ctx.clock();
  const endsAt = new Date(startsAt.getTime() + parsePrometheusDuration(body.duration)! * 1000);
  const silence = {
    matchers,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: input.actor,
    comment: body.comment,
  };
  const { value: silenceId, alertmanager } = await onFirstAnswering(ctx, (am) => am.createSilence(silence));
  const event = { silenceId, alertmanager, matchers, until: silence.endsAt, comment: body.comment };
  await record(ctx, input.id, 'alert.silenced', input.actor, event);
  return { ...event, startsAt: silence.startsAt, createdBy: input.actor };
}

/** The silences (active or pending) that match at least one alert of the incident. */
export async function listIncidentSilences({ ctx, input }: { ctx: SilenceContext; input: { id: number } }) {
  const labelSets = await incidentLabelSets(ctx, input.id);
  const { value: all } = await onFirstAnswering(ctx, (am) => am.silences());
  return {
    silences: all
      .filter((s) => s.status.state !== 'expired' && labelSets.some((labels) => matchesLabels(s.matchers, labels)))
      .map(view),
  };
}

/** Expires one of the incident's silences and records `alert.unsilenced`. */
export async function expireIncidentSilence({
  ctx,
  input,
}: {
  ctx: SilenceContext;
  input: { id: number; silenceId: string; actor: string };
}) {
  const { silences } = await listIncidentSilences({ ctx, input });
  if (!silences.some((s) => s.id === input.silenceId))
    throw new NotFoundError(`active silence ${input.silenceId} of incident ${input.id}`);
  const { alertmanager } = await onFirstAnswering(ctx, (am) => am.expireSilence(input.silenceId));
  await record(ctx, input.id, 'alert.unsilenced', input.actor, { silenceId: input.silenceId, alertmanager });
  return { silenceId: input.silenceId, expired: true };
}

function view(s: ApiSilence) {
  return {
    id: s.id,
    state: s.status.state,
    matchers: s.matchers,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

async function incidentLabelSets(ctx: SilenceContext, id: number): Promise<Record<string, string>[]> {
  if (ctx.alertmanagers.length === 0)
    throw new ConflictError('no Alertmanager is configured (ALERTBOOK_ALERTMANAGERS)');
  await assertIncidentExists(ctx.db, id);
  const rows = await ctx.db.select({ labels: alerts.labels }).from(alerts).where(eq(alerts.incidentId, id));
  return rows.map((r) => r.labels);
}

function commonMatchers(labelSets: Record<string, string>[]): ApiMatcher[] {
  const [first, ...rest] = labelSets;
  return Object.entries(first ?? {})
    .filter(([name, value]) => rest.every((labels) => labels[name] === value))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

/**
 * Asks the Alertmanagers in turn until one answers. An unreachable one is
 * skipped; none reachable is a 503; one that refuses the request is a 502
 * with its reason.
 */
async function onFirstAnswering<T>(ctx: SilenceContext, call: (am: SilenceApi) => Promise<T>) {
  const failures: string[] = [];
  for (const am of ctx.alertmanagers) {
    try {
      return { value: await call(am), alertmanager: am.name };
    } catch (error) {
      const status = (error as { status?: number | null }).status;
      if (typeof status === 'number') throw new DomainError('upstream_error', (error as Error).message);
      failures.push((error as Error).message);
    }
  }
  throw new DomainError('unavailable', `no Alertmanager answered: ${failures.join('; ')}`);
}

async function record(
  ctx: SilenceContext,
  incidentId: number,
  type: string,
  actor: string,
  data: Record<string, unknown>,
) {
  await ctx.db.transaction(async (tx) => {
    await assertIncidentExists(tx, incidentId);
    await tx.insert(timelineEvents).values({ incidentId, type, at: ctx.clock(), actor, data });
  });
  ctx.bus?.publish({ incidentId, types: [type] });
}
