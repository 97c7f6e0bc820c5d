import { useEffect } from 'preact/hooks';
import { createStore, useStore } from './store.js';

// One clock for the page: every relative age ticks together, on one timer.
const clock = createStore(new Date());
let subscribers = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, updated every 15 s: enough for ages shown in minutes. */
export function useNow(): Date {
  useEffect(() => {
    if (subscribers++ === 0) timer = setInterval(() => clock.set(new Date()), 15_000);
    return () => {
      if (--subscribers === 0 && timer !== null) clearInterval(timer);
    };
  }, []);
  return useStore(clock);
}
