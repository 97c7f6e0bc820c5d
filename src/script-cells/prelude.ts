/**
 * The module Deno preloads before a cell: it defines the cell API's globals (cell-api.d.ts)
 * and keeps the gateway's token in a closure, with the `fetch` it had before the cell ran.
 */
export interface PreludeInput {
  marker: string;
  gatewayUrl: string;
  token: string;
  /** The runbook's datasource: where queries go unless the cell names another. */
  datasource: string;
  alert: { labels: Record<string, string>; annotations: Record<string, string> };
  incident: { id: number; title: string; status: string; startedAt: string };
}

export function buildPrelude(input: PreludeInput): string {
  const constants = {
    MARKER: input.marker,
    GATEWAY: input.gatewayUrl,
    TOKEN: input.token,
    DATASOURCE: input.datasource,
    ALERT: input.alert,
    INCIDENT: input.incident,
  };
  return `${Object.entries(constants)
    .map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`)
    .join('\n')}\n${PRELUDE_BODY}`;
}

// Plain JavaScript: Deno loads it as is. `alert` stays Deno's function (its lib types declare it);
// the cell API adds labels and annotations to it, which TypeScript merges as a namespace.
const PRELUDE_BODY = String.raw`
const gatewayFetch = globalThis.fetch.bind(globalThis);
const encoder = new TextEncoder();
const stdout = Deno.stdout;
const freeze = (value) => Object.freeze(structuredClone(value));

function emit(output) {
  const bytes = encoder.encode(MARKER + JSON.stringify(output) + '\n');
  for (let written = 0; written < bytes.length; ) written += stdout.writeSync(bytes.subarray(written));
}

const SPECIAL = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity };
const decodeSeries = (s) => ({ metric: s.metric, values: s.values.map(([t, v]) => [t, typeof v === 'string' ? SPECIAL[v] : v]) });
const toSeconds = (time) => (time instanceof Date ? time.getTime() / 1000 : time);
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
function durationSeconds(value, name) {
  if (typeof value === 'number') return value;
  const match = typeof value === 'string' && value !== '' ? DURATION.exec(value) : null;
  if (!match) throw new TypeError(name + ' must be seconds or a duration like "15m", "1h30m"');
  return (+(match[1] ?? 0)) * 86400 + (+(match[2] ?? 0)) * 3600 + (+(match[3] ?? 0)) * 60 + (+(match[4] ?? 0));
}

async function ask(body) {
  const response = await gatewayFetch(GATEWAY + '/query', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error('query failed (' + response.status + '): ' + (answer.error?.message ?? 'unknown error'));
  return { ...answer, series: (answer.series ?? []).map(decodeSeries) };
}

Object.defineProperties(globalThis.alert, {
  labels: { value: freeze(ALERT.labels), enumerable: true },
  annotations: { value: freeze(ALERT.annotations), enumerable: true },
});
Object.defineProperty(globalThis, 'incident', { value: freeze(INCIDENT), enumerable: true });

Object.defineProperty(globalThis, 'query', {
  value: (promql, options = {}) =>
    ask({ query: promql, datasource: options.datasource ?? DATASOURCE, time: options.time === undefined ? undefined : toSeconds(options.time) }),
});

Object.defineProperty(globalThis, 'queryRange', {
  value: (promql, options = {}) => {
    const end = options.end === undefined ? Date.now() / 1000 : toSeconds(options.end);
    const start = options.start === undefined ? end - durationSeconds(options.range ?? '1h', 'range') : toSeconds(options.start);
    const step = options.step === undefined ? undefined : durationSeconds(options.step, 'step');
    return ask({ query: promql, datasource: options.datasource ?? DATASOURCE, start, end, step });
  },
});

Object.defineProperty(globalThis, 'show', {
  value: Object.freeze({
    table: (rows) => emit({ kind: 'table', rows }),
    chart: (series, options = {}) => emit({ kind: 'chart', series, threshold: options.threshold, unit: options.unit }),
    markdown: (text) => emit({ kind: 'markdown', text: String(text) }),
    json: (value) => emit({ kind: 'json', value }),
  }),
});
`;
