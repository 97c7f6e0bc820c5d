import type { Figure } from '../figure.js';
import type { WeeklyReport } from '../model.js';
import {
  count,
  formatChange,
  formatDuration,
  formatPeriodLine,
  formatShare,
  historyNotice,
  RESPONSE_COLUMNS,
  trendTitle,
  trendWithHistory,
  WEEKDAYS,
} from './format-values.js';
import { escapeXml as esc, severityColor, stackedBars } from './svg-charts.js';

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A number that links to the API query recounting it. */
function n(f: Figure, text = count(f)): string {
  return `<a href="${esc(f.query)}" title="recount">${esc(text)}</a>`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8b949e;--line:#30363d}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:960px;margin:0 auto;padding:16px}
table{border-collapse:collapse;margin:8px 0 16px;width:100%;display:block;overflow-x:auto}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;white-space:nowrap}
a{color:inherit}.muted,.none{color:var(--muted)}svg{width:100%;height:auto;max-width:640px}
svg .tick{font-size:10px;fill:var(--muted)}svg .chart-title{font-size:12px;fill:var(--fg)}svg .axis{stroke:var(--line)}
dt{font-weight:600}dd{margin:0 0 8px}`;

/** The report as one self-contained HTML file: inline CSS and SVG, no script, no external asset. */
export function renderHtml(r: WeeklyReport): string {
  const v = r.volume;
  const severities = [...new Set(v.byDay.flatMap((d) => d.bySeverity.map((s) => s.severity)))];
  const daily = stackedBars({
    title: 'Incidents opened per day, by severity',
    labels: v.byDay.map((d) => d.date.slice(5)),
    series: severities.map((severity) => ({
      name: severity,
      color: severityColor(severity),
      values: v.byDay.map((d) => d.bySeverity.find((s) => s.severity === severity)?.incidents.value ?? 0),
    })),
  });
  const recorded = trendWithHistory(v.trend);
  const trend = stackedBars({
    title: `Incidents opened: ${trendTitle(recorded.length).toLowerCase()}`,
    labels: recorded.map((t) => t.label.replace(/^\d{4}-/, '')),
    series: [{ name: 'incidents', color: '#1565c0', values: recorded.map((t) => t.incidents.value ?? 0) }],
  });
  const notice = historyNotice(r);
  const timed = r.response.byAlertname.slice(0, 12);
  const response = (which: 'mtta' | 'mttr', title: string) =>
    stackedBars({
      title,
      labels: timed.map((s) => s.key ?? ''),
      series: [
        { name: 'median', color: '#2e7d32', values: timed.map((s) => s[which].median.value ?? 0) },
        {
          name: 'to p90',
          color: '#a5d6a7',
          values: timed.map((s) => Math.max(0, (s[which].p90.value ?? 0) - (s[which].median.value ?? 0))),
        },
      ],
      unit: formatDuration,
    });
  const rs = [r.response.overall, ...r.response.bySeverity, ...r.response.byAlertname];

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Alert history ${esc(r.period.label)}</title><style>${STYLE}</style></head>
<body>
<h1>Alert history: ${esc(r.period.label)} <span class="muted">(${esc(r.period.tz)})</span></h1>
<p class="muted">${esc(formatPeriodLine(r))} · definitions v${r.definitionsVersion}</p>
${notice ? `<p class="history-notice"><strong>${esc(notice)}</strong></p>` : ''}
<h2>Next steps</h2>
${r.actions.length === 0 ? '<p class="none">Nothing stands out.</p>' : `<ol>${r.actions.map((a) => `<li><a href="${esc(a.link)}">${esc(a.text)}</a></li>`).join('')}</ol>`}
<h2>Volume</h2>
${table(
  ['', 'This period', `Previous (${v.previous.label})`, 'Change'],
  [
    [
      'Incidents opened',
      n(v.incidentsOpened),
      n(v.previous.incidentsOpened),
      esc(formatChange(v.change.incidentsOpened)),
    ],
    [
      'Alert occurrences fired',
      n(v.occurrencesFired),
      n(v.previous.occurrencesFired),
      esc(formatChange(v.change.occurrencesFired)),
    ],
    ['Notifications received', n(v.notificationsReceived), '', ''],
    ['Duplicates absorbed', n(v.duplicatesAbsorbed), '', ''],
  ],
)}
<figure id="daily-volume">${daily}</figure>
<figure id="trend">${trend}</figure>
${table(
  ['Severity', 'Incidents', 'Occurrences'],
  v.bySeverity.map((b) => [esc(b.key), n(b.incidents), b.occurrences ? n(b.occurrences) : '']),
)}
${table(
  ['Alertname', 'Incidents', 'Occurrences'],
  v.byAlertname.map((b) => [esc(b.key), n(b.incidents), b.occurrences ? n(b.occurrences) : '']),
)}
${table(
  ['Receiver', 'Incidents'],
  v.byReceiver.map((b) => [esc(b.key), n(b.incidents)]),
)}
${table(
  ['Runbook owner', 'Incidents'],
  v.byRunbookOwner.map((b) => [esc(b.key), n(b.incidents)]),
)}
${table(WEEKDAYS, [v.byWeekday.map((d) => n(d.incidents))])}
<h2>Response</h2>
<figure id="mtta">${response('mtta', 'Time to acknowledge per alertname (median, p90)')}</figure>
<figure id="mttr">${response('mttr', 'Time to resolve per alertname (median, p90)')}</figure>
${table(
  RESPONSE_COLUMNS,
  rs.map((s, i) => [
    i === 0 ? '<b>All</b>' : esc(s.key ?? ''),
    n(s.incidents),
    n(s.mtta.median, formatDuration(s.mtta.median.value)),
    n(s.mtta.p90, formatDuration(s.mtta.p90.value)),
    n(s.mtta.mean, formatDuration(s.mtta.mean.value)),
    n(s.mttr.median, formatDuration(s.mttr.median.value)),
    n(s.mttr.p90, formatDuration(s.mttr.p90.value)),
    n(s.mttr.mean, formatDuration(s.mttr.mean.value)),
    n(s.neverAcknowledged),
    n(s.stillOpen),
    n(s.resolvedManually),
    n(s.resolvedAutomatically),
  ]),
)}
<h2>Noise</h2>
<p>Pages with action: ${n(r.noise.pagesWithAction.count)} (${esc(formatShare(r.noise.pagesWithAction.share.value))}).
Self-resolving incidents: ${n(r.noise.selfResolving.total)}. Flapping fingerprints: ${n(r.noise.flappingFingerprints)}.</p>
${table(
  ['Noisiest alertname', 'Firings'],
  r.noise.noisiest.map((x) => [esc(x.alertname), n(x.firings)]),
)}
${table(
  ['Flapping alert', 'Fingerprint', 'Firings', 'Most in 24 h', 'Episodes < 5 min'],
  r.noise.flapping.map((f) => [
    esc(f.alertname),
    esc(f.fingerprint),
    n(f.firings),
    n(f.maxFiringsIn24h),
    n(f.shortEpisodes),
  ]),
)}
<h2>Runbooks</h2>
<p>Coverage: ${n(r.runbooks.withRunbook)} incidents with a runbook (${esc(formatShare(r.runbooks.coverage.value))}).
Steps ticked on ${n(r.runbooks.incidentsWithSteps)} incidents (${n(r.runbooks.stepsTicked)} steps, ${esc(formatShare(r.runbooks.stepShare.value))} of their runbooks' steps), snapshots on ${n(r.runbooks.incidentsWithSnapshots)}.</p>
${table(
  ['Fired without a runbook', 'Incidents'],
  r.runbooks.alertnamesWithoutRunbook.map((a) => [esc(a.alertname), n(a.incidents)]),
)}
${table(
  ['Runbook changed', 'Versions', 'Diff'],
  r.runbooks.changed.map((c) => [
    esc(c.title ?? c.runbookId),
    n(c.versions),
    c.diff ? `<a href="${esc(c.diff)}">diff</a>` : 'new runbook',
  ]),
)}
<h2>Tuning</h2>
${r.tuning.decisionsAvailable ? `<p>Decisions recorded ${r.tuning.recorded.length}, applied ${r.tuning.applied.length}, verified ${r.tuning.verified.length}.</p>` : '<p class="none">Tuning decisions are not recorded by this installation.</p>'}
${table(
  ['Recommended for tuning', 'Evidence', ''],
  r.tuning.recommendations.map((t) => [esc(t.alertname), esc(t.evidence), `<a href="${esc(t.link)}">tune →</a>`]),
)}
<h2>Definitions</h2>
<dl>${Object.entries(r.definitions)
    .map(([k, d]) => `<dt>${esc(k)}</dt><dd>${esc(d)}</dd>`)
    .join('')}</dl>
</body></html>
`;
}
