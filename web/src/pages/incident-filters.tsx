import { useEffect, useState } from 'preact/hooks';

export interface IncidentFilter {
  state: 'all' | 'firing' | 'acknowledged' | 'resolved';
  severity: string;
  alertname: string;
  q: string;
}

const STATES: IncidentFilter['state'][] = ['all', 'firing', 'acknowledged', 'resolved'];

/** Filters live in the URL, so a filtered view can be shared in the incident channel. */
export function filterFromQuery(query: URLSearchParams): IncidentFilter {
  const state = query.get('state') as IncidentFilter['state'] | null;
  return {
    state: state && STATES.includes(state) ? state : 'all',
    severity: query.get('severity') ?? '',
    alertname: query.get('alertname') ?? '',
    q: query.get('q') ?? '',
  };
}

export function filterToQuery(filter: IncidentFilter): string {
  const query = new URLSearchParams();
  if (filter.state !== 'all') query.set('state', filter.state);
  for (const key of ['severity', 'alertname', 'q'] as const) if (filter[key]) query.set(key, filter[key]);
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function IncidentFilters({
  filter,
  severities,
  alertnames,
  onChange,
}: {
  filter: IncidentFilter;
  severities: string[];
  alertnames: string[];
  onChange(filter: IncidentFilter): void;
}) {
  // The text search waits for a pause in typing before it queries.
  const [text, setText] = useState(filter.q);
  useEffect(() => setText(filter.q), [filter.q]);
  useEffect(() => {
    if (text === filter.q) return;
    const timer = setTimeout(() => onChange({ ...filter, q: text }), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const choice = (label: string, value: string, options: string[], key: 'severity' | 'alertname') => (
    <label>
      <span class="filter-label">{label}</span>
      <select value={value} onChange={(e) => onChange({ ...filter, [key]: e.currentTarget.value })}>
        <option value="">any</option>
        {[...new Set([...options, ...(value ? [value] : [])])].sort().map((option) => (
          <option value={option}>{option}</option>
        ))}
      </select>
    </label>
  );

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some of the browsers on-call people use
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <fieldset class="segmented">
        <legend class="visually-hidden">Status</legend>
        {STATES.map((state) => (
          <label class={filter.state === state ? 'selected' : undefined}>
            <input
              type="radio"
              name="state"
              value={state}
              checked={filter.state === state}
              onChange={() => onChange({ ...filter, state })}
            />
            {state}
          </label>
        ))}
      </fieldset>
      {choice('Severity', filter.severity, severities, 'severity')}
      {choice('Alert', filter.alertname, alertnames, 'alertname')}
      <label class="search">
        <span class="filter-label">Search</span>
        <input
          type="search"
          placeholder="title or label value"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
    </form>
  );
}
