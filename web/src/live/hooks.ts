import { useEffect, useRef, useState } from 'preact/hooks';
import { live } from './connection.js';
import type { CellRequest, ErrorFrame } from './protocol.js';
import { applyDataFrame, type SeriesState } from './series-state.js';

export interface CellData {
  state: SeriesState | null;
  error: ErrorFrame | null;
  /** When the last frame arrived. */
  updatedAt: Date | null;
}

/** A live cell's data; `request` null: not subscribed (e.g. the query cannot be rendered). */
export function useCellData(request: CellRequest | null): CellData {
  const [data, setData] = useState<CellData>({ state: null, error: null, updatedAt: null });
  const key = request ? JSON.stringify(request) : null;
  useEffect(() => {
    setData({ state: null, error: null, updatedAt: null });
    if (!request) return;
    return live.subscribe(request, {
      data: (frame) => setData((d) => ({ state: applyDataFrame(d.state, frame), error: null, updatedAt: new Date() })),
      error: (frame) => setData((d) => ({ ...d, error: frame, updatedAt: new Date() })),
    });
    // The key stands for the request's content: a new object with equal content keeps the subscription.
  }, [key]);
  return data;
}

/**
 * Calls `onChange` when a watched incident (or any, with 'all') gets timeline
 * events, and after a reconnect (events may have been missed meanwhile).
 */
export function useIncidentWatch(incidents: 'all' | number[], onChange: (types: string[]) => void): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  const key = incidents === 'all' ? 'all' : incidents.join(',');
  useEffect(() => {
    const stopWatching = live.watch(incidents, (frame) => callback.current(frame.types));
    const stopListening = live.onReconnect(() => callback.current([]));
    return () => {
      stopWatching();
      stopListening();
    };
  }, [key]);
}
