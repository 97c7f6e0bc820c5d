import { useState } from 'preact/hooks';
import { api } from '../api/client.js';

/**
 * "Store the report": keeps the week's report (POST /reports/weekly), so the
 * review reads the same after retention removed the rows. Storing twice keeps the first.
 */
export function StoreWeekButton({
  week,
  tz,
  // Within the button's accessible name ("Store the report of 2026-W43"), as WCAG 2.5.3 asks.
  label = 'Store the report',
  onStored,
}: {
  week: string;
  tz: string;
  label?: string;
  onStored(): void;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const store = async () => {
    setState({ busy: true, error: null });
    try {
      await api.post('/reports/weekly', { week, tz });
      setState({ busy: false, error: null });
      onStored();
    } catch (error) {
      setState({ busy: false, error: (error as Error).message });
    }
  };
  return (
    <span class="report-store">
      <button
        type="button"
        class="small-button"
        disabled={state.busy}
        onClick={store}
        aria-label={`Store the report of ${week}`}
      >
        {label}
      </button>
      {state.error && (
        <span class="inline-error" role="alert">
          {' '}
          {state.error}
        </span>
      )}
    </span>
  );
}
