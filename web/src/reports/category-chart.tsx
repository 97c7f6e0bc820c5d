import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatDuration } from '../../../src/domain/reports/render/format-values.js';
import { type CategoryChart as Chart, drawOrder, stackedValues } from './chart-series.js';

const HEIGHT = 200;
const DURATION_STEPS = [
  1,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  4 * 3600,
  12 * 3600,
  86400,
  7 * 86400,
];
const darkMode = window.matchMedia('(prefers-color-scheme: dark)');

/** Colours from the page's CSS variables, so the axes follow light and dark mode. */
function themeColour(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || '#888';
}

function chartOptions(element: HTMLElement, chart: Chart): uPlot.Options {
  const axis = {
    stroke: themeColour(element, '--text-muted'),
    grid: { stroke: themeColour(element, '--chart-grid'), width: 1 },
    ticks: { show: false },
    font: '11px system-ui, sans-serif',
  };
  const show = (v: number | null) => (v === null ? '–' : chart.unit === 'seconds' ? formatDuration(v) : String(v));
  const bars = uPlot.paths.bars!({ size: [0.7, 48] });
  return {
    width: element.clientWidth,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    legend: { live: true },
    scales: {
      x: { time: false, range: () => [-0.5, chart.labels.length - 0.5] },
      // Counts start at 0 and show at least 1; durations at least a minute.
      y: { range: (_u, _min, max) => [0, Math.max(chart.unit === 'seconds' ? 60 : 1, max) * 1.1] },
    },
    axes: [
      {
        ...axis,
        grid: { show: false },
        splits: () => chart.labels.map((_, i) => i),
        values: (_u, splits) => splits.map((i) => chart.labels[i] ?? ''),
        // Long labels (alertnames) slant, so each keeps its slot on a phone.
        ...(chart.labels.some((l) => l.length > 6) && { rotate: -30, size: 72 }),
      },
      {
        ...axis,
        size: 56,
        // Durations tick at round minutes and hours, not at 3m 20s.
        ...(chart.unit === 'seconds' && { incrs: DURATION_STEPS }),
        values: (_u, splits) => splits.map(show),
      },
    ],
    series: [
      { label: chart.unit === 'seconds' ? 'alertname' : 'when', value: (_u, i) => chart.labels[i] ?? '' },
      ...drawOrder(chart).map((index) => {
        const s = chart.series[index]!;
        return {
          label: s.name,
          stroke: s.colour,
          ...(s.kind === 'bar'
            ? { fill: s.colour, width: 0, paths: bars, points: { show: false } }
            : { width: 2, points: { show: true, size: 6 } }),
          // The legend shows a series' own value, not the running total a stacked bar is drawn at.
          value: (_u: uPlot, _v: number | null, _sidx: number, idx: number | null) =>
            idx === null ? '' : show(s.values[idx] ?? null),
        };
      }),
    ],
  };
}

/** A uPlot chart over categories (days, weeks, alertnames); rebuilt when the colour scheme changes. */
export function CategoryChart({ chart, id }: { chart: Chart; id: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let plot: uPlot | null = null;
    const build = () => {
      plot?.destroy();
      const stacked = stackedValues(chart);
      const data: uPlot.AlignedData = [chart.labels.map((_, i) => i), ...drawOrder(chart).map((i) => stacked[i]!)];
      plot = new uPlot(chartOptions(element, chart), data, element);
    };
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    darkMode.addEventListener('change', build);
    return () => {
      resize.disconnect();
      darkMode.removeEventListener('change', build);
      plot?.destroy();
    };
  }, [chart]);
  return (
    <figure class="report-chart" id={id}>
      <figcaption>{chart.title}</figcaption>
      {chart.labels.length === 0 ? <p class="muted small">Nothing to draw.</p> : <div ref={container} />}
    </figure>
  );
}
