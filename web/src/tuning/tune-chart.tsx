import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { toAlignedData } from '../cells/chart-data.js';
import { CHART_HEIGHT } from '../cells/chart-options.js';
import { seriesNames } from '../format/labels.js';
import type { LiveSeries } from '../live/series-state.js';
import { type TuneDecor, tuneChartOptions } from './tune-chart-options.js';

const darkMode = window.matchMedia('(prefers-color-scheme: dark)');
/** How close (CSS pixels) the pointer must be to the proposed line to grab it. */
const GRAB_DISTANCE = 8;

/**
 * The observed expression with the threshold lines and would-have-fired
 * periods. The proposed line can be dragged: `onPropose` gets the value under
 * the pointer, rounded to two significant figures as suggestions are.
 */
export function TuneChart({
  series,
  decor,
  onPropose,
}: {
  series: LiveSeries[];
  decor: TuneDecor;
  onPropose(value: number): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ decor, onPropose });
  latest.current = { decor, onPropose };

  useEffect(() => {
    const element = container.current!;
    const build = () => {
      plot.current?.destroy();
      const options = tuneChartOptions(element, seriesNames(series.map((s) => s.metric)), () => latest.current.decor);
      plot.current = new uPlot(options, toAlignedData(series), element);
      grabProposedLine(plot.current, () => latest.current);
    };
    build();
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: element.clientWidth, height: CHART_HEIGHT }),
    );
    resize.observe(element);
    darkMode.addEventListener('change', build);
    return () => {
      resize.disconnect();
      darkMode.removeEventListener('change', build);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series]);

  // New lines or periods: the y range may change, so the data is set again (uPlot recomputes scales there).
  useEffect(() => {
    plot.current?.setData(plot.current.data);
  }, [decor]);

  return <div class="chart tune-chart" ref={container} />;
}

function grabProposedLine(u: uPlot, current: () => { decor: TuneDecor; onPropose(value: number): void }): void {
  const over = u.over;
  const nearLine = (offsetY: number) => {
    const proposed = current().decor.lines.proposed;
    return proposed !== null && Math.abs(u.valToPos(proposed, 'y') - offsetY) <= GRAB_DISTANCE;
  };
  let dragging = false;
  over.addEventListener('pointerdown', (event) => {
    if (!nearLine(event.offsetY)) return;
    dragging = true;
    over.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  over.addEventListener('pointermove', (event) => {
    over.style.cursor = dragging || nearLine(event.offsetY) ? 'ns-resize' : '';
    if (!dragging) return;
    const value = u.posToVal(event.offsetY, 'y');
    if (Number.isFinite(value)) current().onPropose(Number(value.toPrecision(2)));
  });
  const release = () => {
    dragging = false;
  };
  over.addEventListener('pointerup', release);
  over.addEventListener('pointercancel', release);
}
