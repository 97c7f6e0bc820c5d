import { escapeXml } from '../../reports/render/svg-charts.js';
import { formatValue } from './format-value.js';
import type { NamedSeries } from './snapshot-values.js';

const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

/**
 * A snapshot as a static line chart (inline SVG, no script): the y axis starts at
 * 0 unless the data goes below it, labels sit inside the view box.
 */
export function snapshotSvg(title: string, series: NamedSeries[], window: { start: number; end: number }): string {
  const width = 640;
  const height = 240;
  const pad = { left: 64, right: 12, top: 24, bottom: 40 };
  const values = series.flatMap((s) => s.points.map(([, v]) => v));
  const min = Math.min(0, ...values);
  const max = Math.max(min + 1e-9, ...values);
  const span = { x: Math.max(1, window.end - window.start), y: max - min };
  const x = (t: number) => pad.left + ((t - window.start) / span.x) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - min) / span.y) * (height - pad.top - pad.bottom);
  const parts = [
    `<text x="${pad.left}" y="14" class="chart-title">${escapeXml(title)}</text>`,
    `<line x1="${pad.left}" y1="${y(min)}" x2="${width - pad.right}" y2="${y(min)}" class="axis"/>`,
    ...[min, (min + max) / 2, max].map(
      (v) =>
        `<text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeXml(formatValue(v))}</text>`,
    ),
    `<text x="${pad.left}" y="${height - pad.bottom + 14}" class="tick">${clock(window.start)}</text>`,
    `<text x="${width - pad.right}" y="${height - pad.bottom + 14}" text-anchor="end" class="tick">${clock(window.end)}</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"><title>${escapeXml(s.name)}</title></path>`,
      );
    // The first four series are named below the chart; every path carries its name as a tooltip.
    if (i < 4) {
      parts.push(
        `<text x="${pad.left + i * 150}" y="${height - 8}" class="tick" fill="${color}">${escapeXml(truncate(s.name, 28))}</text>`,
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">${parts.join('')}</svg>`;
}

function clock(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(11, 16);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
