/*
 * Inline SVG for the self-contained HTML report: a stacked bar chart is all it
 * needs (daily volume by severity, response times per alertname, the trend).
 * No script, no external asset: the file opens without network.
 */

export interface BarSeries {
  name: string;
  values: number[];
  color: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Severity → colour, stable across charts; unknown severities take a neutral grey. */
export function severityColor(severity: string): string {
  const colors: Record<string, string> = {
    critical: '#c62828',
    page: '#c62828',
    error: '#e65100',
    warning: '#f9a825',
    info: '#1565c0',
  };
  return colors[severity] ?? '#78909c';
}

export function stackedBars(input: {
  title: string;
  labels: string[];
  series: BarSeries[];
  unit?: (n: number) => string;
}): string {
  const width = 640;
  const height = 220;
  const pad = { left: 48, right: 8, top: 28, bottom: 40 };
  const totals = input.labels.map((_, i) => input.series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, input.labels.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const unit = input.unit ?? ((n: number) => String(n));
  const parts: string[] = [];
  parts.push(`<text x="${pad.left}" y="16" class="chart-title">${escapeXml(input.title)}</text>`);
  parts.push(`<line x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" class="axis"/>`);
  parts.push(
    `<text x="${pad.left - 4}" y="${y(max) + 4}" text-anchor="end" class="tick">${escapeXml(unit(max))}</text>`,
  );
  parts.push(`<text x="${pad.left - 4}" y="${y(0)}" text-anchor="end" class="tick">0</text>`);
  input.labels.forEach((label, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const s of input.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}">` +
            `<title>${escapeXml(`${label} ${s.name}: ${unit(v)}`)}</title></rect>`,
        );
      }
      base += v;
    }
    parts.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 14}" text-anchor="middle" class="tick">${escapeXml(label)}</text>`,
    );
  });
  const legend = input.series
    .map(
      (s, i) =>
        `<rect x="${pad.left + i * 110}" y="${height - 14}" width="10" height="10" fill="${s.color}"/><text x="${pad.left + i * 110 + 14}" y="${height - 5}" class="tick">${escapeXml(s.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(input.title)}">${parts.join('')}${legend}</svg>`;
}
