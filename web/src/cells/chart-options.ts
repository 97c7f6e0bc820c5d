import uPlot from 'uplot';
import { formatAxisTime } from '../format/time.js';
import { formatValue } from '../format/value.js';

export const CHART_HEIGHT = 220;

/** Distinguishable on white and on near-black (the Tableau 10 hues). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export interface ChartDecor {
  unit: string | null;
  /** The cell's threshold: a dashed horizontal line, always inside the y range. */
  threshold: number | null;
  /** Unix seconds of the incident's start: a vertical marker. */
  marker: number | null;
  /** Charts with the same key share one cursor. */
  syncKey: string | null;
}

/** Colours from the page's CSS variables, so charts follow light and dark mode. */
function themeColour(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || '#888';
}

/**
 * A cell chart's uPlot options. `visibleWindow` is read on every redraw: the
 * x axis spans the cell's whole window, not just the points it has so far.
 */
export function chartOptions(
  element: HTMLElement,
  names: string[],
  decor: ChartDecor,
  visibleWindow: () => { from: number; to: number },
): uPlot.Options {
  const text = themeColour(element, '--text-muted');
  const grid = themeColour(element, '--chart-grid');
  const thresholdColour = themeColour(element, '--firing');
  const markerColour = themeColour(element, '--accent');
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
  return {
    width: element.clientWidth,
    height: CHART_HEIGHT,
    cursor: {
      ...(decor.syncKey && { sync: { key: decor.syncKey } }),
      drag: { x: false, y: false },
      focus: { prox: 16 },
    },
    legend: { live: true },
    focus: { alpha: 0.3 },
    scales: {
      x: { time: true, range: () => [visibleWindow().from, visibleWindow().to] },
      y: {
        range: (_u, min, max) => {
          if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
          const lo = decor.threshold === null ? min : Math.min(min, decor.threshold);
          const hi = decor.threshold === null ? max : Math.max(max, decor.threshold);
          return uPlot.rangeNum(lo, hi, 0.1, true);
        },
      },
    },
    axes: [
      {
        ...axis,
        space: 90,
        values: (u, splits) => splits.map((t) => formatAxisTime(t, (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0))),
      },
      { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatValue(v, decor.unit)) },
    ],
    series: [
      // Away from the cursor, the legend shows each series' latest value: readable at a glance.
      { label: 'time', value: (_u, t, _s, idx) => (idx === null ? 'latest' : new Date(t * 1000).toLocaleTimeString()) },
      ...names.map((label, i) => ({
        label,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        // No `points` option: uPlot dots the points where they are sparse, so a series that just began shows.
        value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
          formatValue(idx === null ? lastDrawn(u.data[sidx] ?? []) : v, decor.unit),
      })),
    ],
    hooks: {
      draw: [(u) => drawDecor(u, decor, thresholdColour, markerColour)],
    },
  };
}

function lastDrawn(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function drawDecor(u: uPlot, decor: ChartDecor, thresholdColour: string, markerColour: string): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  if (decor.threshold !== null) {
    const y = Math.round(u.valToPos(decor.threshold, 'y', true));
    ctx.strokeStyle = thresholdColour;
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
  }
  const xMin = u.scales.x?.min;
  const xMax = u.scales.x?.max;
  if (
    decor.marker !== null &&
    xMin !== undefined &&
    xMax !== undefined &&
    decor.marker >= xMin &&
    decor.marker <= xMax
  ) {
    const x = Math.round(u.valToPos(decor.marker, 'x', true));
    ctx.strokeStyle = markerColour;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = markerColour;
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    // At the foot of the line: the top is where thresholds and peaks usually are.
    ctx.fillText('incident start', x + 4 * devicePixelRatio, bbox.top + bbox.height - 4 * devicePixelRatio);
  }
  ctx.restore();
}
