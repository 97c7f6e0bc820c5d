import { notebookHref } from './report-links.js';
import { ReportSection } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

/** The next steps, ranked; each links where to act (the tune panel, the incidents in question). */
export function ActionsSection({ report }: { report: WeeklyReport }) {
  return (
    <ReportSection id="actions" title="Next steps">
      {report.actions.length === 0 ? (
        <p class="muted">Nothing stands out.</p>
      ) : (
        <ol class="report-actions">
          {report.actions.map((a) => (
            <li key={a.rank}>
              <a href={notebookHref(a.link)}>{a.text}</a>
            </li>
          ))}
        </ol>
      )}
    </ReportSection>
  );
}
