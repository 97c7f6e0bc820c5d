import type { Db } from '../../../db/client.js';
import { responseTimes, type ResponseRow } from '../../../db/reports/report-queries.js';
import { figure, incidentsQuery, type Span } from '../figure.js';
import type { ResponseSection, ResponseStats } from '../model.js';

export const RESPONSE_DEFINITIONS = {
  mtta:
    "MTTA (time to acknowledge): from an incident's start to its first acknowledgement, over the incidents opened in the " +
    'period that have been acknowledged (whenever that happened). Median, 90th percentile (linear between ranks) and mean, in seconds.',
  mttr:
    "MTTR (time to resolve): from an incident's start to its resolution — the end of its last alert, or a person resolving it — over " +
    'the incidents opened in the period and resolved before the period ended. Median, 90th percentile and mean, in seconds.',
  neverAcknowledged: 'Never acknowledged: incidents opened in the period that nobody has acknowledged.',
  stillOpen:
    'Still open at the end: incidents opened in the period and not resolved when it ended; they are left out of MTTR and counted here.',
  resolution:
    'Manual versus automatic: of the incidents resolved before the period ended, those a person resolved versus those that ' +
    'resolved because every alert did. A re-fire after a manual resolution opens a new incident.',
};

function stats(row: ResponseRow | undefined, span: Span, filter: Record<string, string>): ResponseStats {
  const end = span.to.toISOString();
  const acked = incidentsQuery(span, { ...filter, acknowledged: 'true' });
  const resolved = incidentsQuery(span, { ...filter, resolved_before: end });
  return {
    incidents: figure(row?.incidents ?? 0, 'count', incidentsQuery(span, filter)),
    mtta: {
      median: figure(row?.mttaMedian ?? null, 'median:acknowledge', acked),
      p90: figure(row?.mttaP90 ?? null, 'p90:acknowledge', acked),
      mean: figure(row?.mttaMean ?? null, 'mean:acknowledge', acked),
      count: figure(row?.acknowledged ?? 0, 'count', acked),
    },
    mttr: {
      median: figure(row?.mttrMedian ?? null, 'median:resolve', resolved),
      p90: figure(row?.mttrP90 ?? null, 'p90:resolve', resolved),
      mean: figure(row?.mttrMean ?? null, 'mean:resolve', resolved),
      count: figure(row?.resolved ?? 0, 'count', resolved),
    },
    neverAcknowledged: figure(
      row?.neverAcknowledged ?? 0,
      'count',
      incidentsQuery(span, { ...filter, acknowledged: 'false' }),
    ),
    stillOpen: figure(row?.stillOpen ?? 0, 'count', incidentsQuery(span, { ...filter, unresolved_at: end })),
    resolvedManually: figure(
      row?.manual ?? 0,
      'count',
      incidentsQuery(span, { ...filter, resolved_before: end, resolution: 'manual' }),
    ),
    resolvedAutomatically: figure(
      row?.automatic ?? 0,
      'count',
      incidentsQuery(span, { ...filter, resolved_before: end, resolution: 'automatic' }),
    ),
  };
}

export async function buildResponse(db: Db, span: Span): Promise<ResponseSection> {
  const rows = await responseTimes(db, span);
  const overall = rows.find((r) => r.alertname === null && r.severity === null);
  const byIncidents = (a: ResponseRow, b: ResponseRow) => b.incidents - a.incidents;
  return {
    overall: stats(overall, span, {}),
    byAlertname: rows
      .filter((r) => r.alertname !== null)
      .sort((a, b) => byIncidents(a, b) || a.alertname!.localeCompare(b.alertname!))
      .map((r) => ({ key: r.alertname!, ...stats(r, span, { alertname: r.alertname! }) })),
    bySeverity: rows
      .filter((r) => r.severity !== null)
      .sort((a, b) => byIncidents(a, b) || a.severity!.localeCompare(b.severity!))
      .map((r) => ({ key: r.severity!, ...stats(r, span, { severity: r.severity! }) })),
  };
}
