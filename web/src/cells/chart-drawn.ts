/** A box in CSS pixels, relative to the chart's canvas. */
export interface DrawnBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Writes what a chart drew on its canvas (text boxes, line rows) into the
 * chart element's `data-drawn`, merged with what is there: canvas text is not
 * in the DOM, and the browser tests check these boxes against the canvas.
 */
export function recordDrawn(root: HTMLElement, part: Record<string, unknown>): void {
  const element = root.parentElement;
  if (!element) return;
  const previous = JSON.parse(element.dataset.drawn ?? '{}') as Record<string, unknown>;
  element.dataset.drawn = JSON.stringify({ ...previous, ...part });
}
