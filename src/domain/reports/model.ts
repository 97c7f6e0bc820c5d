import type { Figure } from './figure.js';
import type { HistoryCoverage } from '../history-coverage.js';
import type { TuningSection } from './sections/tuning.js';

export interface Breakdown {
  key: string;
  incidents: Figure;
  occurrences?: Figure;
}

export interface Durations {
  median: Figure;
  p90: Figure;
  mean: Figure;
  /** The incidents the durations are taken over. */
  count: Figure;
}

export interface ResponseStats {
  key?: string;
  incidents: Figure;
  mtta: Durations;
  mttr: Durations;
  neverAcknowledged: Figure;
  stillOpen: Figure;
  resolvedManually: Figure;
  resolvedAutomatically: Figure;
}

export interface VolumeSection {
  incidentsOpened: Figure;
  occurrencesFired: Figure;
  notificationsReceived: Figure;
  duplicatesAbsorbed: Figure;
  previous: { label: string; incidentsOpened: Figure; occurrencesFired: Figure };
  /** (this − previous) / previous; null when the previous period had none or the history does not cover all of it. */
  change: { incidentsOpened: number | null; occurrencesFired: number | null };
  bySeverity: Breakdown[];
  byAlertname: Breakdown[];
  byReceiver: Breakdown[];
  byRunbookOwner: Breakdown[];
  trend: {
    label: string;
    from: string;
    to: string;
    incidents: Figure;
    occurrences: Figure;
    /** Absent from reports stored before it was added. */
    history?: HistoryCoverage;
  }[];
  byDay: { date: string; incidents: Figure; bySeverity: { severity: string; incidents: Figure }[] }[];
  byWeekday: { weekday: number; incidents: Figure }[];
  byHour: { hour: number; incidents: Figure }[];
}

export interface ResponseSection {
  overall: ResponseStats;
  byAlertname: ResponseStats[];
  bySeverity: ResponseStats[];
}

export interface NoiseSection {
  noisiest: { alertname: string; firings: Figure }[];
  /** Every fingerprint that flapped; `flapping` lists those with the most firings. */
  flappingFingerprints: Figure;
  flapping: {
    fingerprint: string;
    alertname: string;
    firings: Figure;
    maxFiringsIn24h: Figure;
    shortEpisodes: Figure;
  }[];
  selfResolving: { total: Figure; byAlertname: { alertname: string; incidents: Figure; of: Figure }[] };
  pagesWithAction: { count: Figure; share: Figure };
}

export interface RunbooksSection {
  withRunbook: Figure;
  coverage: Figure;
  alertnamesWithoutRunbook: { alertname: string; incidents: Figure }[];
  incidentsWithSteps: Figure;
  /** Steps ticked, and their share of all the steps of the runbooks pinned to the period's incidents. */
  stepsTicked: Figure;
  stepShare: Figure;
  incidentsWithSnapshots: Figure;
  changed: {
    runbookId: string;
    title: string | null;
    versions: Figure;
    before: string | null;
    after: string;
    diff: string | null;
  }[];
}

export interface ReportAction {
  rank: number;
  text: string;
  /** Where to act: the tune panel, the runbook folder, the incidents in question. */
  link: string;
}

export interface WeeklyReport {
  /** Bumped whenever a definition changes meaning; stored with every report. */
  definitionsVersion: number;
  period: { kind: 'week' | 'range'; label: string; week: string | null; tz: string; from: string; to: string };
  generatedAt: string;
  /**
   * When Alertbook stored its first alert (null: never), and how much of the period that covers. Absent from reports
   * stored before it was added.
   */
  history?: { from: string | null; covers: HistoryCoverage };
  volume: VolumeSection;
  response: ResponseSection;
  noise: NoiseSection;
  runbooks: RunbooksSection;
  tuning: TuningSection;
  actions: ReportAction[];
  definitions: Record<string, string>;
}
