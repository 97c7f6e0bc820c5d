import uPlot from 'uplot';
import { recordDrawn } from '../cells/chart-drawn.js';
import { chartOptions } from '../cells/chart-options.js';
import type { FiringPeriod } from './firing-periods.js';

/** The three threshold lines of the tune chart, null where there is none. */
export interface TuneLines {
  current: number | null;
  suggested: number | null;
  proposed: number | null;
}

/** What the chart shows besides the series: read on every redraw, so editing the proposal redraws in place. */
export interface TuneDecor {
  lines: TuneLines;
  /** Would-have-fired periods of the rule as it is and as proposed. */
  periods: { current: FiringPeriod[]; proposed: FiringPeriod[] };
  window: { from: number; to: number };
  /** The incident's start: a vertical marker. */
  marker: number | null;
}

const LINE_COLOURS: Record<keyof TuneLines, string> = {
  current: '--firing',
  suggested: '--resolved',
  proposed: '--accent',
};
const SHADE_ALPHA = 0.16;

function colour(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || '#888';
}

/**
 * The tune chart: a cell chart's axes, legend and incident marker, with the
 * would-have-fired periods shaded under the series (current at the top half,
 * proposed at the bottom half, so both stay visible where they overlap) and the
 * three threshold lines over them. What was drawn is written to the element's
 * `data-drawn` (line y positions in canvas pixels, shaded band counts): the
 * browser tests probe the pixels there.
 */
export function tuneChartOptions(element: HTMLElement, names: string[], decor: () => TuneDecor): uPlot.Options {
  const base = chartOptions(
    element,
    names,
    { unit: null, threshold: null, marker: decor().marker, syncKey: null },
    () => decor().window,
  );
  const colours = Object.fromEntries(
    Object.entries(LINE_COLOURS).map(([line, variable]) => [line, colour(element, variable)]),
  ) as Record<keyof TuneLines, string>;
  return {
    ...base,
    scales: {
      ...base.scales,
      y: {
        // Every line stays inside the chart, even far from the data.
        range: (_u, min, max) => {
          const values = [min, max, ...Object.values(decor().lines)].filter(
            (v): v is number => v !== null && Number.isFinite(v),
          );
          if (values.length === 0) return [0, 1];
          return uPlot.rangeNum(Math.min(...values), Math.max(...values), 0.1, true);
        },
      },
    },
    hooks: {
      ...base.hooks,
      drawClear: [(u) => shadePeriods(u, decor().periods, colours)],
      draw: [...(base.hooks?.draw ?? []), (u) => drawLines(u, decor().lines, colours)],
    },
  };
}

function shadePeriods(u: uPlot, periods: TuneDecor['periods'], colours: Record<keyof TuneLines, string>): void {
  const { ctx, bbox } = u;
  const half = bbox.height / 2;
  const shaded = { current: 0, proposed: 0 };
  ctx.save();
  ctx.globalAlpha = SHADE_ALPHA;
  for (const which of ['current', 'proposed'] as const) {
    ctx.fillStyle = colours[which];
    const top = which === 'current' ? bbox.top : bbox.top + half;
    for (const period of periods[which]) {
      const left = Math.max(bbox.left, u.valToPos(period.start, 'x', true));
      // At least a pixel: a one-minute episode in a week is still seen.
      const right = Math.min(bbox.left + bbox.width, Math.max(u.valToPos(period.end, 'x', true), left + 1));
      if (right <= bbox.left || left >= bbox.left + bbox.width) continue;
      ctx.fillRect(left, top, right - left, half);
      shaded[which]++;
    }
  }
  ctx.restore();
  recordDrawn(u.root, { shaded });
}

function drawLines(u: uPlot, lines: TuneLines, colours: Record<keyof TuneLines, string>): void {
  const { ctx, bbox } = u;
  const drawn: Partial<Record<keyof TuneLines, number>> = {};
  ctx.save();
  for (const which of ['current', 'suggested', 'proposed'] as const) {
    const value = lines[which];
    if (value === null || !Number.isFinite(value)) continue;
    const y = Math.round(u.valToPos(value, 'y', true));
    ctx.strokeStyle = colours[which];
    // The proposal solid and thicker: the line being edited.
    ctx.lineWidth = (which === 'proposed' ? 2.5 : 1.5) * devicePixelRatio;
    ctx.setLineDash(which === 'proposed' ? [] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    drawn[which] = y;
  }
  ctx.restore();
  recordDrawn(u.root, { lines: drawn });
}
