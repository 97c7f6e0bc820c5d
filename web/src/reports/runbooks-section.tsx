import { formatShare } from '../../../src/domain/reports/render/format-values.js';
import { FigureLink, ReportSection, ReportTable } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

type Change = WeeklyReport['runbooks']['changed'][number];

/** The notebook's diff view of the two versions (the report's own link is the API's unified diff). */
const diffHref = (c: Change) => `/runbooks/${c.runbookId}?from=${c.before}&to=${c.after}`;

export function RunbooksSection({ report }: { report: WeeklyReport }) {
  const r = report.runbooks;
  return (
    <ReportSection id="runbooks" title="Runbooks">
      <p>
        Coverage: <FigureLink figure={r.withRunbook} /> incidents with a runbook (
        <FigureLink figure={r.coverage} text={formatShare(r.coverage.value)} />
        ). Steps ticked on <FigureLink figure={r.incidentsWithSteps} /> incidents (
        <FigureLink figure={r.stepsTicked} /> steps,{' '}
        <FigureLink figure={r.stepShare} text={formatShare(r.stepShare.value)} /> of their runbooks' steps), snapshots
        on <FigureLink figure={r.incidentsWithSnapshots} />.
      </p>
      <div class="report-columns">
        <ReportTable
          caption="Fired without a runbook"
          head={['Alertname', 'Incidents']}
          rows={r.alertnamesWithoutRunbook.map((a) => [a.alertname, <FigureLink figure={a.incidents} />])}
        />
        <ReportTable
          caption="Runbooks changed"
          head={['Runbook', 'Versions', 'Diff']}
          rows={r.changed.map((c) => [
            <a href={`/runbooks/${c.runbookId}`}>{c.title ?? c.runbookId}</a>,
            <FigureLink figure={c.versions} />,
            c.before ? <a href={diffHref(c)}>diff</a> : 'new runbook',
          ])}
        />
      </div>
    </ReportSection>
  );
}
