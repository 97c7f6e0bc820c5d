import { formatShare } from '../../../src/domain/reports/render/format-values.js';
import { FigureLink, ReportSection, ReportTable } from './report-parts.js';
import type { WeeklyReport } from './report-types.js';

export function NoiseSection({ report }: { report: WeeklyReport }) {
  const n = report.noise;
  return (
    <ReportSection id="noise" title="Noise">
      <p>
        Pages with action: <FigureLink figure={n.pagesWithAction.count} /> (
        <FigureLink figure={n.pagesWithAction.share} text={formatShare(n.pagesWithAction.share.value)} />
        ). Self-resolving incidents: <FigureLink figure={n.selfResolving.total} />. Flapping fingerprints:{' '}
        <FigureLink figure={n.flappingFingerprints} /> (the worst listed below).
      </p>
      <div class="report-columns">
        <ReportTable
          caption="Noisiest alertnames"
          head={['Alertname', 'Firings']}
          rows={n.noisiest.map((x) => [x.alertname, <FigureLink figure={x.firings} />])}
        />
        <ReportTable
          caption="Self-resolving, by alertname"
          head={['Alertname', 'Self-resolving', 'Of incidents']}
          rows={n.selfResolving.byAlertname.map((x) => [
            x.alertname,
            <FigureLink figure={x.incidents} />,
            <FigureLink figure={x.of} />,
          ])}
        />
      </div>
      <ReportTable
        caption="Flapping"
        head={['Alertname', 'Fingerprint', 'Firings', 'Most in 24 h', 'Episodes < 5 min']}
        rows={n.flapping.map((f) => [
          f.alertname,
          <code>{f.fingerprint}</code>,
          <FigureLink figure={f.firings} />,
          <FigureLink figure={f.maxFiringsIn24h} />,
          <FigureLink figure={f.shortEpisodes} />,
        ])}
      />
    </ReportSection>
  );
}
