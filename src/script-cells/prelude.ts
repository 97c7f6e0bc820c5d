/**
 * The module Deno preloads before a cell: it defines the cell API's globals (cell-api.d.ts)
 * and keeps the gateway's token in a closure, with the `Deno.connect` it had before the cell ran.
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
const connect = Deno.connect.bind(Deno);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
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

// HTTP over Deno.connect rather than fetch: the first fetch of a process sets up Deno's HTTP client
// (TLS roots and all), about 60 ms of every run for one request to a loopback port. HTTP/1.0, so
// the answer is never chunked: its body is everything up to the close.
const GATEWAY_URL = new URL(GATEWAY);
async function post(path, json) {
  const body = encoder.encode(json);
  const head = 'POST ' + path + ' HTTP/1.0\r\nHost: ' + GATEWAY_URL.host + '\r\nAuthorization: Bearer ' + TOKEN +
    '\r\nContent-Type: application/json\r\nContent-Length: ' + body.length + '\r\n\r\n';
  const conn = await connect({ hostname: GATEWAY_URL.hostname, port: Number(GATEWAY_URL.port) });
  try {
    for (const bytes of [encoder.encode(head), body])
      for (let written = 0; written < bytes.length; ) written += await conn.write(bytes.subarray(written));
    const chunks = [];
    const buffer = new Uint8Array(64 * 1024);
    for (let n; (n = await conn.read(buffer)) !== null; ) chunks.push(buffer.slice(0, n));
    return parseResponse(concat(chunks));
  } finally {
    conn.close();
  }
}

function concat(chunks) {
  const all = new Uint8Array(chunks.reduce((size, c) => size + c.length, 0));
  let at = 0;
  for (const chunk of chunks) { all.set(chunk, at); at += chunk.length; }
  return all;
}

function parseResponse(bytes) {
  let end = 0;
  while (end + 3 < bytes.length && !(bytes[end] === 13 && bytes[end + 1] === 10 && bytes[end + 2] === 13 && bytes[end + 3] === 10)) end++;
  const head = decoder.decode(bytes.subarray(0, end)).split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  return { status, text: decoder.decode(bytes.subarray(end + 4)) };
}

async function ask(body) {
  const response = await post('/query', JSON.stringify(body));
  let answer;
  try {
    answer = JSON.parse(response.text);
  } catch {
    throw new Error('query failed (' + response.status + '): the gateway answered ' + response.text.slice(0, 200));
  }
  if (response.status !== 200) throw new Error('query failed (' + response.status + '): ' + (answer.error?.message ?? 'unknown error'));
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
