import type { WeeklyReport } from '../model.js';
import {
  count,
  formatChange,
  formatDuration,
  formatPerWeek,
  formatPeriodLine,
  formatShare,
  historyNotice,
  trendPeriodLabel,
  WEEKDAYS,
} from './format-values.js';

/** Pipes and newlines would break a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None._\n';
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return `${[line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')}\n`;
}

/**
 * The report as GitHub-flavoured markdown: renders as an issue or PR comment
 * (tables, and a Mermaid xychart GitHub draws for the daily volume).
 */
export function renderMarkdown(r: WeeklyReport): string {
  const v = r.volume;
  const out: string[] = [];
  out.push(`# Alert history: ${r.period.label} (${r.period.tz})\n`);
  out.push(`${formatPeriodLine(r)} · definitions v${r.definitionsVersion}\n`);
  const notice = historyNotice(r);
  if (notice) out.push(`> **${notice}**\n`);

  out.push('## Next steps\n');
  out.push(
    r.actions.length === 0
      ? '_Nothing stands out._\n'
      : `${r.actions.map((a) => `${a.rank}. ${a.text} (${a.link})`).join('\n')}\n`,
  );

  out.push('## Volume\n');
  out.push(
    table(
      ['', 'This period', `Previous (${v.previous.label})`, 'Change'],
      [
        [
          'Incidents opened',
          count(v.incidentsOpened),
          count(v.previous.incidentsOpened),
          formatChange(v.change.incidentsOpened),
        ],
        [
          'Alert occurrences fired',
          count(v.occurrencesFired),
          count(v.previous.occurrencesFired),
          formatChange(v.change.occurrencesFired),
        ],
        ['Notifications received', count(v.notificationsReceived), '', ''],
        ['Duplicates absorbed', count(v.duplicatesAbsorbed), '', ''],
      ],
    ),
  );
  out.push(
    [
      '```mermaid',
      'xychart-beta',
      '  title "Incidents opened per day"',
      `  x-axis [${v.byDay.map((d) => `"${d.date.slice(5)}"`).join(', ')}]`,
      `  y-axis "incidents" 0 --> ${Math.max(1, ...v.byDay.map((d) => d.incidents.value ?? 0))}`,
      `  bar [${v.byDay.map((d) => d.incidents.value ?? 0).join(', ')}]`,
      '```\n',
    ].join('\n'),
  );
  out.push(
    table(
      ['Severity', 'Incidents', 'Occurrences'],
      v.bySeverity.map((b) => [b.key, count(b.incidents), b.occurrences ? count(b.occurrences) : '']),
    ),
  );
  out.push(
    table(
      ['Alertname', 'Incidents', 'Occurrences'],
      v.byAlertname.map((b) => [b.key, count(b.incidents), b.occurrences ? count(b.occurrences) : '']),
    ),
  );
  out.push(
    table(
      ['Receiver', 'Incidents'],
      v.byReceiver.map((b) => [b.key, count(b.incidents)]),
    ),
  );
  out.push(
    table(
      ['Runbook owner', 'Incidents'],
      v.byRunbookOwner.map((b) => [b.key, count(b.incidents)]),
    ),
  );
  out.push(
    table(
      ['Period', 'Incidents', 'Occurrences'],
      v.trend.map((t) => [trendPeriodLabel(t), count(t.incidents), count(t.occurrences)]),
    ),
  );
  out.push(table(WEEKDAYS, [v.byWeekday.map((d) => count(d.incidents))]));
  const busyHours = v.byHour.filter((h) => (h.incidents.value ?? 0) > 0);
  out.push(
    table(
      ['Hour', 'Incidents'],
      busyHours.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, count(h.incidents)]),
    ),
  );

  out.push('## Response\n');
  const rs = [r.response.overall, ...r.response.bySeverity, ...r.response.byAlertname];
  out.push(
    table(
      [
        '',
        'Incidents',
        'MTTA median',
        'MTTA p90',
        'MTTA mean',
        'MTTR median',
        'MTTR p90',
        'MTTR mean',
        'Never acked',
        'Still open',
        'Manual',
        'Automatic',
      ],
      rs.map((s, i) => [
        i === 0 ? '**All**' : (s.key ?? ''),
        count(s.incidents),
        formatDuration(s.mtta.median.value),
        formatDuration(s.mtta.p90.value),
        formatDuration(s.mtta.mean.value),
        formatDuration(s.mttr.median.value),
        formatDuration(s.mttr.p90.value),
        formatDuration(s.mttr.mean.value),
        count(s.neverAcknowledged),
        count(s.stillOpen),
        count(s.resolvedManually),
        count(s.resolvedAutomatically),
      ]),
    ),
  );

  out.push('## Noise\n');
  out.push(
    `Pages with action: ${count(r.noise.pagesWithAction.count)} (${formatShare(r.noise.pagesWithAction.share.value)}). `,
  );
  out.push(
    `Self-resolving incidents: ${count(r.noise.selfResolving.total)}. Flapping fingerprints: ${count(r.noise.flappingFingerprints)}.\n`,
  );
  out.push(
    table(
      ['Noisiest alertname', 'Firings'],
      r.noise.noisiest.map((n) => [n.alertname, count(n.firings)]),
    ),
  );
  out.push(
    table(
      ['Flapping alert', 'Fingerprint', 'Firings', 'Most in 24 h', 'Episodes < 5 min'],
      r.noise.flapping.map((f) => [
        f.alertname,
        f.fingerprint,
        count(f.firings),
        count(f.maxFiringsIn24h),
        count(f.shortEpisodes),
      ]),
    ),
  );
  out.push(
    table(
      ['Self-resolving', 'Incidents', 'Of'],
      r.noise.selfResolving.byAlertname.map((s) => [s.alertname, count(s.incidents), count(s.of)]),
    ),
  );

  out.push('## Runbooks\n');
  out.push(
    `Coverage: ${count(r.runbooks.withRunbook)} incidents with a runbook (${formatShare(r.runbooks.coverage.value)}). ` +
      `Steps ticked on ${count(r.runbooks.incidentsWithSteps)} incidents (${count(r.runbooks.stepsTicked)} steps, ${formatShare(r.runbooks.stepShare.value)} of their runbooks' steps), snapshots taken on ${count(r.runbooks.incidentsWithSnapshots)}.\n`,
  );
  out.push(
    table(
      ['Fired without a runbook', 'Incidents'],
      r.runbooks.alertnamesWithoutRunbook.map((a) => [a.alertname, count(a.incidents)]),
    ),
  );
  out.push(
    table(
      ['Runbook changed', 'Versions', 'Diff'],
      r.runbooks.changed.map((c) => [c.title ?? c.runbookId, count(c.versions), c.diff ?? 'new runbook']),
    ),
  );

  out.push('## Tuning\n');
  if (!r.tuning.decisionsAvailable) out.push('_Tuning decisions are not recorded by this installation._\n');
  else {
    out.push(
      `Decisions recorded ${r.tuning.recorded.length}, applied ${r.tuning.applied.length}, verified ${r.tuning.verified.length}.\n`,
    );
    out.push(
      table(
        ['Alertname', 'Applied', 'Firings/week before', 'Firings/week after'],
        r.tuning.effects.map((e) => [
          e.alertname,
          e.appliedAt,
          formatPerWeek(e.perWeekBefore),
          formatPerWeek(e.perWeekAfter),
        ]),
      ),
    );
  }
  out.push(
    table(
      ['Recommended for tuning', 'Evidence', 'Tune'],
      r.tuning.recommendations.map((t) => [t.alertname, t.evidence, t.link]),
    ),
  );

  out.push('## Definitions\n');
  out.push(
    `${Object.entries(r.definitions)
      .map(([k, d]) => `- **${k}**: ${d}`)
      .join('\n')}\n`,
  );
  return out.join('\n');
}
