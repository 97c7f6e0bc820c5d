import type {
  AlertnameIncidentCounts,
  FlappingFingerprint,
  OccurrenceCombination,
} from '../../../db/reports/report-queries.js';
import { PERSON_EVENT_TYPES } from '../../incidents/person-events.js';
import { figure, incidentsQuery, occurrencesQuery, ratio, type Span } from '../figure.js';
import type { NoiseSection } from '../model.js';

/** "Without anyone acknowledging within N minutes": N. */
export const SELF_RESOLVING_SECONDS = 5 * 60;
/** An episode shorter than this is a blip. */
export const SHORT_EPISODE_SECONDS = 5 * 60;
/** This many firings of one fingerprint within 24 hours is flapping. */
export const FLAP_FIRINGS_IN_24H = 3;
const NOISIEST_SHOWN = 10;
/** A busy week can have thousands of flapping fingerprints; the review looks at the worst. */
export const FLAPPING_SHOWN = 20;

export const NOISE_DEFINITIONS = {
  noisiest: 'Noisiest: the alertnames with the most occurrences fired in the period.',
  flapping:
    `Flapping: a fingerprint (one label set) that fired at least ${FLAP_FIRINGS_IN_24H} times within 24 hours, or fired at least twice ` +
    `in the period with every episode shorter than ${SHORT_EPISODE_SECONDS / 60} minutes. Only firings that started in the period are looked at. ` +
    `All flapping fingerprints are counted; the ${FLAPPING_SHOWN} with the most firings are listed.`,
  selfResolving:
    `Self-resolving: incidents opened in the period that resolved on their own (every alert ended, nobody resolved them by hand) ` +
    `within ${SELF_RESOLVING_SECONDS / 60} minutes of opening, before the period ended, and that nobody acknowledged. These are tuning candidates.`,
  pagesWithAction:
    'Pages with action: incidents opened in the period on which a person acknowledged, wrote a note, ticked a step or took a snapshot ' +
    '(automatic snapshots at resolve do not count), over all incidents opened in the period.',
};

/** The incidents-list filter that selects self-resolving incidents (the definition above, as a query). */
export function selfResolvingFilter(span: Span): Record<string, string | number> {
  return {
    resolution: 'automatic',
    resolved_within: SELF_RESOLVING_SECONDS,
    resolved_before: span.to.toISOString(),
    acknowledged: 'false',
  };
}

/** What the flapping query is asked for (src/db/reports/report-queries.ts flappingFingerprints). */
export const FLAPPING_LIMITS = {
  shortEpisodeSeconds: SHORT_EPISODE_SECONDS,
  firingsIn24h: FLAP_FIRINGS_IN_24H,
  shown: FLAPPING_SHOWN,
};

/** Assembles the section from rows already read (the flapping query runs beside the others, from the start). */
export function buildNoise(
  span: Span,
  traits: AlertnameIncidentCounts[],
  occurrences: OccurrenceCombination[],
  flapping: FlappingFingerprint[],
): NoiseSection {
  const firingsByAlertname = new Map<string, number>();
  for (const o of occurrences)
    firingsByAlertname.set(o.alertname, (firingsByAlertname.get(o.alertname) ?? 0) + o.occurrences);
  const incidentsTotal = traits.reduce((n, t) => n + t.incidents, 0);
  const withAction = traits.reduce((n, t) => n + t.withAction, 0);
  const actionQuery = incidentsQuery(span, { event: PERSON_EVENT_TYPES.join(',') });
  const selfResolving = traits
    .filter((t) => t.selfResolving > 0)
    .sort((a, b) => b.selfResolving - a.selfResolving || a.alertname.localeCompare(b.alertname));
  return {
    noisiest: [...firingsByAlertname]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, NOISIEST_SHOWN)
      .map(([alertname, n]) => ({ alertname, firings: figure(n, 'count', occurrencesQuery(span, { alertname })) })),
    flappingFingerprints: figure(flapping[0]?.flapping ?? 0, 'flapping', occurrencesQuery(span)),
    flapping: flapping.map((f) => {
      const query = occurrencesQuery(span, { fingerprint: f.fingerprint });
      return {
        fingerprint: f.fingerprint,
        alertname: f.alertname,
        firings: figure(f.firings, 'count', query),
        maxFiringsIn24h: figure(f.maxFiringsIn24h, 'max-in-24h', query),
        shortEpisodes: figure(f.shortEpisodes, 'short-episodes', query),
      };
    }),
    selfResolving: {
      total: figure(
        traits.reduce((n, t) => n + t.selfResolving, 0),
        'count',
        incidentsQuery(span, selfResolvingFilter(span)),
      ),
      byAlertname: selfResolving.map((t) => ({
        alertname: t.alertname,
        incidents: figure(
          t.selfResolving,
          'count',
          incidentsQuery(span, { ...selfResolvingFilter(span), alertname: t.alertname }),
        ),
        of: figure(t.incidents, 'count', incidentsQuery(span, { alertname: t.alertname })),
      })),
    },
    pagesWithAction: {
      count: figure(withAction, 'count', actionQuery),
      share: figure(ratio(withAction, incidentsTotal), 'share', actionQuery, incidentsQuery(span)),
    },
  };
}
