import { formatPerWeek } from '../../../src/domain/reports/render/format-values.js';
import { FigureLink, ReportSection, ReportTable } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

type Decision = WeeklyReport['tuning']['recorded'][number];

function DecisionTable({ caption, decisions }: { caption: string; decisions: Decision[] }) {
  return (
    <ReportTable
      caption={caption}
      head={['Decision', 'Alertname', 'Status', 'Reason']}
      rows={decisions.map((d) => [<a href={d.link}>#{d.id}</a>, d.alertname, d.status, d.reason])}
    />
  );
}

export function TuningSection({ report }: { report: WeeklyReport }) {
  const t = report.tuning;
  return (
    <ReportSection id="tuning" title="Tuning">
      {t.decisionsAvailable ? (
        <>
          <p>
            Decisions recorded {t.recorded.length}, applied {t.applied.length}, verified {t.verified.length}.
          </p>
          <DecisionTable caption="Recorded" decisions={t.recorded} />
          <DecisionTable caption="Applied" decisions={t.applied} />
          <DecisionTable caption="Verified" decisions={t.verified} />
          <ReportTable
            caption="Effect of decisions applied in the last 8 weeks (firings per week)"
            head={['Alertname', 'Applied', 'Before', 'Per week', 'After', 'Per week']}
            rows={t.effects.map((e) => [
              e.alertname,
              e.appliedAt.slice(0, 10),
              <FigureLink figure={e.firingsBefore} />,
              formatPerWeek(e.perWeekBefore),
              <FigureLink figure={e.firingsAfter} />,
              formatPerWeek(e.perWeekAfter),
            ])}
          />
        </>
      ) : (
        <p class="muted">Tuning decisions are not recorded by this installation.</p>
      )}
      <ReportTable
        caption="Recommended for tuning"
        head={['Alertname', 'Evidence', '']}
        rows={t.recommendations.map((r) => [
          r.alertname,
          r.evidence,
          <a class="report-tune" href={r.link}>
            tune →
          </a>,
        ])}
      />
    </ReportSection>
  );
}
