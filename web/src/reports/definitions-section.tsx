import { Fragment } from 'preact';
import { ReportSection } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

/** What every number means, as the report itself states it (versioned with the report). */
export function DefinitionsSection({ report }: { report: WeeklyReport }) {
  return (
    <ReportSection id="definitions" title={`Definitions (v${report.definitionsVersion})`}>
      <dl class="report-definitions">
        {Object.entries(report.definitions).map(([key, text]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>{text}</dd>
          </Fragment>
        ))}
      </dl>
    </ReportSection>
  );
}
