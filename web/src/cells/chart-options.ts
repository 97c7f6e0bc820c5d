import type uPlot from 'uplot';
import { formatAxisTime } from '../format/time.js';
import { formatValue } from '../format/value.js';
import { axisIncrements, yRange } from './axis-scale.js';
import { type DrawnBox, recordDrawn } from './chart-drawn.js';

export const CHART_HEIGHT = 220;

const AXIS_FONT_PX = 11;
const AXIS_FONT = `${AXIS_FONT_PX}px system-ui, sans-serif`;
/** uPlot's defaults: a tick's length and the gap between tick and label, CSS pixels. */
const TICK_SIZE = 10;
const TICK_GAP = 5;
/** Between the widest y label and the canvas edge. */
const AXIS_MARGIN = 4;

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
  /** The threshold: a dashed horizontal line, always inside the y range. */
  threshold: number | null;
  /** How the alert compares with the threshold (`>`, `<=`…) when it is the firing rule's: shown in its label. */
  thresholdOperator?: string | null;
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
    font: AXIS_FONT,
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
      y: { range: (_u, min, max) => yRange(min ?? Number.NaN, max ?? Number.NaN, decor.threshold) },
    },
    axes: [
      {
        ...axis,
        space: 90,
        values: (u, splits) => splits.map((t) => formatAxisTime(t, (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0))),
      },
      {
        ...axis,
        ...(axisIncrements(decor.unit) && { incrs: axisIncrements(decor.unit) }),
        // As wide as the widest label: "0.006 ops/s" is never cut to "006 ops/s".
        size: (_u, values) => TICK_SIZE + TICK_GAP + widestText(values ?? [], AXIS_FONT) + AXIS_MARGIN,
        values: (_u, splits) => splits.map((v) => formatValue(v, decor.unit)),
      },
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

let measuring: CanvasRenderingContext2D | null = null;

/** Width in CSS pixels of the widest of `texts` in `font`, as the canvas draws it. */
function widestText(texts: readonly (string | null)[], font: string): number {
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return 60;
  measuring.font = font;
  return Math.ceil(Math.max(0, ...texts.map((text) => (text ? measuring!.measureText(text).width : 0))));
}

/** The label of a threshold line: the rule's comparison ("> 47.7 MiB"), else the cell's value. */
export function thresholdLabel(decor: ChartDecor): string | null {
  if (decor.threshold === null) return null;
  const value = formatValue(decor.threshold, decor.unit);
  return decor.thresholdOperator ? `${decor.thresholdOperator} ${value}` : `threshold ${value}`;
}

function drawDecor(u: uPlot, decor: ChartDecor, thresholdColour: string, markerColour: string): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio;
  const css = (box: { left: number; top: number; width: number; height: number }): DrawnBox => ({
    left: box.left / ratio,
    top: box.top / ratio,
    right: (box.left + box.width) / ratio,
    bottom: (box.top + box.height) / ratio,
  });
  const drawn: Record<string, unknown> = { plot: css(bbox), yLabels: yLabelBoxes(u) };
  ctx.save();
  ctx.lineWidth = 1.5 * ratio;
  ctx.setLineDash([6 * ratio, 4 * ratio]);
  ctx.font = `${AXIS_FONT_PX * ratio}px system-ui, sans-serif`;
  const label = thresholdLabel(decor);
  if (decor.threshold !== null && label !== null) {
    const y = Math.round(u.valToPos(decor.threshold, 'y', true));
    ctx.strokeStyle = thresholdColour;
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    // At the right end, above the line (below it when the line is near the top).
    const width = ctx.measureText(label).width;
    const height = AXIS_FONT_PX * ratio;
    const left = bbox.left + bbox.width - width - 4 * ratio;
    const top = y - height - 3 * ratio >= bbox.top ? y - height - 3 * ratio : y + 3 * ratio;
    ctx.fillStyle = thresholdColour;
    ctx.textBaseline = 'top';
    ctx.fillText(label, left, top);
    drawn.threshold = { label, y: y / ratio, box: css({ left, top, width, height }) };
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
    // At the foot of the line: the top is where thresholds and peaks usually are. Right of the
    // line, or left of it where the text would run past the plot's edge.
    const text = 'incident start';
    const width = ctx.measureText(text).width;
    const height = AXIS_FONT_PX * ratio;
    const right = x + 4 * ratio + width <= bbox.left + bbox.width;
    const left = right ? x + 4 * ratio : Math.max(bbox.left, x - 4 * ratio - width);
    const top = bbox.top + bbox.height - height - 4 * ratio;
    ctx.textBaseline = 'top';
    ctx.fillText(text, left, top);
    drawn.marker = { x: x / ratio, box: css({ left, top, width, height }) };
  }
  ctx.restore();
  recordDrawn(u.root, drawn);
}

/**
 * Where the y axis' labels are, CSS pixels: right-aligned TICK_SIZE + TICK_GAP
 * left of the plot, as uPlot draws a left axis, each as wide as its text.
 */
function yLabelBoxes(u: uPlot): (DrawnBox & { text: string })[] {
  const axis = u.axes[1];
  const scale = u.scales.y;
  if (!axis || !scale || scale.min === undefined || scale.max === undefined) return [];
  const values = (axis as { _values?: (string | null)[] })._values ?? [];
  const splits = (axis as { _splits?: number[] })._splits ?? [];
  const right = u.bbox.left / devicePixelRatio - TICK_SIZE - TICK_GAP;
  return splits.flatMap((split, i) => {
    const text = values[i];
    if (!text) return [];
    const y = u.valToPos(split, 'y');
    const width = widestText([text], AXIS_FONT);
    const top = u.bbox.top / devicePixelRatio + y - AXIS_FONT_PX / 2;
    return [{ text, left: right - width, right, top, bottom: top + AXIS_FONT_PX }];
  });
}
