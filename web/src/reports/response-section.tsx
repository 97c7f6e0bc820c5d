import { useMemo } from 'preact/hooks';
import { formatDuration, RESPONSE_COLUMNS } from '../../../src/domain/reports/render/format-values.js';
import { CategoryChart } from './category-chart.js';
import { responseChart } from './chart-series.js';
import { FigureLink, ReportSection, ReportTable } from './report-parts.js';
import type { Figure, ResponseStats, WeeklyReport } from './report-types.js';

const duration = (f: Figure) => <FigureLink figure={f} text={formatDuration(f.value)} />;

function statsRow(s: ResponseStats, label: string) {
  return [
    label,
    <FigureLink figure={s.incidents} />,
    duration(s.mtta.median),
    duration(s.mtta.p90),
    duration(s.mtta.mean),
    duration(s.mttr.median),
    duration(s.mttr.p90),
    duration(s.mttr.mean),
    <FigureLink figure={s.neverAcknowledged} />,
    <FigureLink figure={s.stillOpen} />,
    <FigureLink figure={s.resolvedManually} />,
    <FigureLink figure={s.resolvedAutomatically} />,
  ];
}

export function ResponseSection({ report }: { report: WeeklyReport }) {
  const r = report.response;
  const mtta = useMemo(() => responseChart(report, 'mtta'), [report]);
  const mttr = useMemo(() => responseChart(report, 'mttr'), [report]);
  return (
    <ReportSection id="response" title="Response">
      <div class="report-charts">
        <CategoryChart id="chart-mtta" chart={mtta} />
        <CategoryChart id="chart-mttr" chart={mttr} />
      </div>
      <ReportTable
        caption="Time to acknowledge (MTTA) and to resolve (MTTR)"
        head={RESPONSE_COLUMNS}
        rows={[
          statsRow(r.overall, 'All'),
          ...r.bySeverity.map((s) => statsRow(s, s.key ?? '')),
          ...r.byAlertname.map((s) => statsRow(s, s.key ?? '')),
        ]}
      />
    </ReportSection>
  );
}
