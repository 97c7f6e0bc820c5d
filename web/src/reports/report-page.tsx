import { formatPeriodLine, historyNotice } from '../../../src/domain/reports/render/format-values.js';
import { api, ApiError } from '../api/client.js';
import { LoadError, Loading } from '../components/loading.js';
import { useResource } from '../hooks/use-resource.js';
import { navigate } from '../router.js';
import { ActionsSection } from './actions-section.js';
import { DefinitionsSection } from './definitions-section.js';
import { NoiseSection } from './noise-section.js';
import { storedReportPath, weeklyReportPath } from './report-links.js';
import type { WeeklyReport } from './report-types.js';
import { ResponseSection } from './response-section.js';
import { RunbooksSection } from './runbooks-section.js';
import { TuningSection } from './tuning-section.js';
import { StoreWeekButton } from './store-week.js';
import { VolumeSection } from './volume-section.js';
import { useDocumentTitle } from '../hooks/use-document-title.js';

/**
 * `/reports/2026-W48[?tz=…]`: the week's report, recomputed now; with
 * `?stored=<id>`, the report as it was kept. Every number links to its recount.
 */
export function ReportPage({ week, query }: { week: string; query: URLSearchParams }) {
  const storedId = query.get('stored');
  const path = storedId ? storedReportPath(storedId, 'json') : weeklyReportPath(week, query, 'json');
  const report = useResource(path, () => api.get<WeeklyReport>(path));
  useDocumentTitle(`Alert history ${report.data?.period.label ?? week}`);

  if (report.error) return <ReportError week={week} error={report.error} retry={report.reload} />;
  if (!report.data) return <Loading label={`the report of ${week}`} />;
  const r = report.data;
  const notice = historyNotice(r);
  const download = (format: 'html' | 'markdown' | 'json') =>
    `/api/v1${storedId ? storedReportPath(storedId, format) : weeklyReportPath(week, query, format)}`;
  return (
    <article class="report-page">
      <header class="page-heading report-heading">
        <h1>
          Alert history: {r.period.label} <span class="muted">({r.period.tz})</span>
        </h1>
        <p class="muted small">
          {formatPeriodLine(r)} · {storedId ? 'stored report' : 'recomputed now'} · definitions v{r.definitionsVersion}
        </p>
        <p class="report-downloads small">
          <a href={download('html')} download={`alertbook-${r.period.label}.html`}>
            HTML
          </a>{' '}
          · <a href={download('markdown')}>Markdown</a> · <a href={download('json')}>JSON</a> ·{' '}
          <a href="/reports">All weeks</a>
        </p>
        {/* A week still under way is not offered: its stored report would stay incomplete. */}
        {!storedId && r.period.week && r.generatedAt >= r.period.to && (
          <StoreWeekButton
            week={r.period.week}
            tz={r.period.tz}
            onStored={() => navigate(`/reports?tz=${encodeURIComponent(r.period.tz)}`)}
          />
        )}
      </header>
      {notice && (
        <div class="banner history-notice" role="note">
          <p>{notice}</p>
        </div>
      )}
      <ActionsSection report={r} />
      <VolumeSection report={r} />
      <ResponseSection report={r} />
      <NoiseSection report={r} />
      <RunbooksSection report={r} />
      <TuningSection report={r} />
      <DefinitionsSection report={r} />
    </article>
  );
}

/** A week the API refuses (`2026-W00`, `banana`, an unknown zone): its 400 message, and the way back. */
function ReportError({ week, error, retry }: { week: string; error: Error; retry(): void }) {
  if (!(error instanceof ApiError && error.status === 400)) return <LoadError error={error} retry={retry} />;
  return (
    <div class="load-error" role="alert">
      <p>
        No report for <code>{week}</code>: {error.field && <code>{error.field}</code>} {error.message}
      </p>
      <p>
        <a href="/reports">Pick a week from the list</a>.
      </p>
    </div>
  );
}
