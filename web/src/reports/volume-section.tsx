import { useMemo } from 'preact/hooks';
import { formatChange, WEEKDAYS } from '../../../src/domain/reports/render/format-values.js';
import { CategoryChart } from './category-chart.js';
import { dailyVolumeChart, trendChart } from './chart-series.js';
import { FigureLink, ReportSection, ReportTable } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

type Breakdown = WeeklyReport['volume']['bySeverity'][number];

const breakdownRows = (list: Breakdown[], withOccurrences: boolean) =>
  list.map((b) => [
    b.key,
    <FigureLink figure={b.incidents} />,
    ...(withOccurrences ? [b.occurrences ? <FigureLink figure={b.occurrences} /> : ''] : []),
  ]);

export function VolumeSection({ report }: { report: WeeklyReport }) {
  const v = report.volume;
  const daily = useMemo(() => dailyVolumeChart(report), [report]);
  const trend = useMemo(() => trendChart(report), [report]);
  return (
    <ReportSection id="volume" title="Volume">
      <ReportTable
        caption="This period against the one before"
        head={['', 'This period', `Previous (${v.previous.label})`, 'Change']}
        rows={[
          [
            'Incidents opened',
            <FigureLink figure={v.incidentsOpened} />,
            <FigureLink figure={v.previous.incidentsOpened} />,
            formatChange(v.change.incidentsOpened),
          ],
          [
            'Alert occurrences fired',
            <FigureLink figure={v.occurrencesFired} />,
            <FigureLink figure={v.previous.occurrencesFired} />,
            formatChange(v.change.occurrencesFired),
          ],
          ['Notifications received', <FigureLink figure={v.notificationsReceived} />, '', ''],
          ['Duplicates absorbed', <FigureLink figure={v.duplicatesAbsorbed} />, '', ''],
        ]}
      />
      <div class="report-charts">
        <CategoryChart id="chart-daily-volume" chart={daily} />
        <CategoryChart id="chart-trend" chart={trend} />
      </div>
      <div class="report-columns">
        <ReportTable
          caption="By severity"
          head={['Severity', 'Incidents', 'Occurrences']}
          rows={breakdownRows(v.bySeverity, true)}
        />
        <ReportTable
          caption="By alertname"
          head={['Alertname', 'Incidents', 'Occurrences']}
          rows={breakdownRows(v.byAlertname, true)}
        />
        <ReportTable caption="By receiver" head={['Receiver', 'Incidents']} rows={breakdownRows(v.byReceiver, false)} />
        <ReportTable
          caption="By runbook owner"
          head={['Owner', 'Incidents']}
          rows={breakdownRows(v.byRunbookOwner, false)}
        />
      </div>
      <ReportTable
        caption="Incidents opened per day of the week"
        head={WEEKDAYS}
        rows={[v.byWeekday.map((d) => <FigureLink figure={d.incidents} />)]}
      />
      <ReportTable
        caption="Incidents opened per hour of the day (hours with any)"
        head={['Hour', 'Incidents']}
        rows={v.byHour
          .filter((h) => (h.incidents.value ?? 0) > 0)
          .map((h) => [`${String(h.hour).padStart(2, '0')}:00`, <FigureLink figure={h.incidents} />])}
      />
    </ReportSection>
  );
}
