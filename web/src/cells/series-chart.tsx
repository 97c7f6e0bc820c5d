import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { seriesNames } from '../format/labels.js';
import type { SeriesState } from '../live/series-state.js';
import { toAlignedData } from './chart-data.js';
import { CHART_HEIGHT, chartOptions, type ChartDecor } from './chart-options.js';

const darkMode = window.matchMedia('(prefers-color-scheme: dark)');

/**
 * A uPlot time-series chart. New points are drawn into the existing chart; a
 * change in the set of series (or of colour scheme) builds a new one, since
 * uPlot's series and colours are fixed at creation.
 */
export function SeriesChart({ state, decor }: { state: SeriesState; decor: ChartDecor }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<{ plot: uPlot; identity: string } | null>(null);
  const latest = useRef({ state, decor });
  latest.current = { state, decor };

  const build = () => {
    const { state: current, decor: currentDecor } = latest.current;
    chart.current?.plot.destroy();
    const names = seriesNames(current.series.map((s) => s.metric));
    const options = chartOptions(container.current!, names, currentDecor, () => latest.current.state);
    chart.current = {
      plot: new uPlot(options, toAlignedData(current.series), container.current!),
      identity: identityOf(current, currentDecor),
    };
  };

  useEffect(() => {
    if (chart.current?.identity === identityOf(state, decor)) chart.current.plot.setData(toAlignedData(state.series));
    else build();
  });

  useEffect(() => {
    const element = container.current!;
    const resize = new ResizeObserver(() =>
      chart.current?.plot.setSize({ width: element.clientWidth, height: CHART_HEIGHT }),
    );
    resize.observe(element);
    darkMode.addEventListener('change', build);
    return () => {
      resize.disconnect();
      darkMode.removeEventListener('change', build);
      chart.current?.plot.destroy();
      chart.current = null;
    };
  }, []);

  return <div class="chart" ref={container} />;
}

function identityOf(state: SeriesState, decor: ChartDecor): string {
  return `${JSON.stringify(decor)}|${state.series.map((s) => s.id).join(',')}`;
}
