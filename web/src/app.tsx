import { useErrorBoundary } from 'preact/hooks';
import { authMode, credential, signOut } from './api/identity.js';
import { useMe } from './api/me.js';
import { ConnectionBadge } from './components/connection-badge.js';
import { IdentityPrompt } from './components/identity-prompt.js';
import { ShortcutsOverlay } from './components/shortcuts-overlay.js';
import { useStore } from './hooks/store.js';
import { useDocumentTitle } from './hooks/use-document-title.js';
import { IncidentPage } from './pages/incident-page.js';
import { IncidentsPage } from './pages/incidents-page.js';
import { RunbookPage } from './pages/runbook-page.js';
import { RunbooksPage } from './pages/runbooks-page.js';
import { ReportIncidentsPage } from './reports/report-incidents-page.js';
import { ReportPage } from './reports/report-page.js';
import { ReportsPage } from './reports/reports-page.js';
import { DecisionPage } from './tuning/decision-page.js';
import { TuningPage } from './tuning/tuning-page.js';
import type { Route } from './routes.js';
import { useRoute } from './router.js';

export function App() {
  const route = useRoute();
  const who = useStore(credential);
  // Token mode cannot read anything without the token; open mode can, and asks before the first write.
  const blocked = authMode === 'token' && !who;
  const me = useMe();
  return (
    <>
      <header class="topbar">
        <a class="brand" href="/">
          Alertbook
        </a>
        <nav aria-label="Main">
          <a href="/" aria-current={route.page === 'incidents' || route.page === 'incident' ? 'page' : undefined}>
            Incidents
          </a>
          <a href="/runbooks" aria-current={route.page === 'runbooks' || route.page === 'runbook' ? 'page' : undefined}>
            Runbooks
          </a>
          <a href="/reports" aria-current={route.page.startsWith('report') ? 'page' : undefined}>
            Reports
          </a>
          <a
            href="/tuning"
            aria-current={route.page === 'tuning' || route.page === 'tuning-decision' ? 'page' : undefined}
          >
            Tuning
          </a>
        </nav>
        <div class="topbar-end">
          <ConnectionBadge />
          {me && (authMode === 'proxy' || who) && (
            <span class="whoami small">
              Signed in as <strong>{me}</strong>
              {authMode !== 'proxy' && (
                <>
                  {' '}
                  <button type="button" class="link-button" onClick={signOut}>
                    Sign out
                  </button>
                </>
              )}
            </span>
          )}
        </div>
      </header>
      <main>{blocked ? null : <PageBoundary key={route.page} route={route} />}</main>
      {authMode !== 'proxy' && !who && <IdentityPrompt />}
      <ShortcutsOverlay />
    </>
  );
}

/** A page that fails to render says so, instead of leaving the screen blank mid-incident. */
function PageBoundary({ route }: { route: Route }) {
  const [error, reset] = useErrorBoundary((e: Error) => console.error('page failed to render', e));
  if (error) {
    return (
      <div class="load-error" role="alert">
        <p>This page failed to render: {(error as Error).message}</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </div>
    );
  }
  return <Page route={route} />;
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'incidents':
      return <IncidentsPage query={route.query} />;
    case 'incident':
      return <IncidentPage key={route.id} id={route.id} tune={route.tune} />;
    case 'runbooks':
      return <RunbooksPage />;
    case 'runbook':
      return <RunbookPage key={route.id} id={route.id} query={route.query} />;
    case 'reports':
      return <ReportsPage query={route.query} />;
    case 'report':
      return <ReportPage key={`${route.week}?${route.query}`} week={route.week} query={route.query} />;
    case 'report-incidents':
      return <ReportIncidentsPage query={route.query} />;
    case 'tuning':
      return <TuningPage />;
    case 'tuning-decision':
      return <DecisionPage key={route.id} id={route.id} />;
    case 'not-found':
      return <NotFound path={route.path} />;
  }
}

function NotFound({ path }: { path: string }) {
  useDocumentTitle('Not found');
  return (
    <p class="empty">
      Nothing at <code>{path}</code>. <a href="/">Back to the incidents</a>.
    </p>
  );
}
