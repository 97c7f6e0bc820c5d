/** Where `j`/`k` stop in a pinned runbook: its cells (PromQL and script) and its steps, in reading order. */
const STOPS = '.runbook-body section.cell, .runbook-body input[data-step-id]';
/** Marks the stop reached by the keyboard, so it stays outlined even when the browser draws no focus ring. */
export const KEYBOARD_STOP = 'keyboard-stop';

/** Moves the focus `by` stops through the runbook (from the focused one, else from the top) and scrolls it into view. */
export function moveInNotebook(by: 1 | -1): void {
  const stops = [...document.querySelectorAll<HTMLElement>(STOPS)];
  if (stops.length === 0) return;
  const focused = document.activeElement;
  let at = stops.findIndex((stop) => stop === focused || (focused !== null && stop.contains(focused)));
  if (at < 0) at = stops.findIndex((stop) => stop.classList.contains(KEYBOARD_STOP));
  const next = stops[at < 0 ? 0 : Math.min(stops.length - 1, Math.max(0, at + by))]!;
  for (const stop of stops) stop.classList.remove(KEYBOARD_STOP);
  next.classList.add(KEYBOARD_STOP);
  // Focusable by script, without adding every cell to the Tab order.
  if (!next.matches('input')) next.tabIndex = -1;
  next.focus({ preventScroll: true });
  next.scrollIntoView({ block: 'nearest' });
}
