import { type DecodeOptions, decodeQueryResponse, type UpstreamAnswer } from './decode-response.js';
import { PrometheusError } from './errors.js';
import { parseSampleValue } from './sample-value.js';

/** A range-query series as two columns: unix seconds and values, oldest first. */
export interface ColumnSeries {
  metric: Record<string, string>;
  times: Float64Array;
  values: Float64Array;
}

export interface RangeColumns {
  series: ColumnSeries[];
  /** True when the upstream returned more than `maxSeries` series and the rest were dropped. */
  truncated: boolean;
  totalSeries: number;
  warnings: string[];
  infos?: string[];
}

/** Thrown inside the scanner when the body is not the plain matrix answer it reads; the general decoder then speaks. */
class NotPlainMatrix extends Error {}

/**
 * An answer to /api/v1/query_range read straight into typed columns: a week of
 * 100 series at 1-minute resolution is a million samples, which JSON.parse
 * would turn into a million `[time, "value"]` arrays (~80 bytes each, the
 * bulk of the tuning endpoints' memory and time). The text is scanned once and
 * each sample is written into Float64Arrays. Anything but a successful matrix
 * in the shape Prometheus writes it (an error, a vector, native histograms, a
 * malformed body) goes through decodeQueryResponse instead, so every answer
 * means and fails exactly as there.
 */
export function decodeRangeColumns(answer: UpstreamAnswer, options: DecodeOptions): RangeColumns {
  try {
    return new MatrixScanner(answer.body, options.maxSeries).answer();
  } catch (error) {
    if (!(error instanceof NotPlainMatrix)) throw error;
  }
  const result = decodeQueryResponse(answer, options);
  if (!('series' in result)) {
    throw new PrometheusError(
      'upstream',
      `datasource "${options.datasource}" answered a range query with a ${result.resultType}`,
    );
  }
  return {
    series: result.series.map(({ metric, values }) => ({
      metric,
      times: Float64Array.from(values, ([time]) => time),
      values: Float64Array.from(values, ([, value]) => value),
    })),
    truncated: result.truncated,
    totalSeries: result.totalSeries,
    warnings: result.warnings,
    ...infosOf(result.infos),
  };
}

function infosOf(infos: string[] | undefined) {
  return infos?.length ? { infos } : {};
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
/** Powers of ten a double holds exactly. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;

/** A recursive-descent reader of one JSON text, with a fast path for the `values` arrays of a matrix. */
class MatrixScanner {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly maxSeries: number,
  ) {}

  answer(): RangeColumns {
    let status: unknown;
    let data: RangeColumns | undefined;
    let warnings: string[] = [];
    let infos: string[] = [];
    this.object((key) => {
      if (key === 'status') status = this.value();
      else if (key === 'data') data = this.data();
      else if (key === 'warnings') warnings = this.strings();
      else if (key === 'infos') infos = this.strings();
      else this.value();
    });
    this.space();
    if (this.at !== this.text.length || status !== 'success' || !data) throw new NotPlainMatrix();
    return { ...data, warnings, ...infosOf(infos) };
  }

  private data(): RangeColumns {
    let resultType: unknown;
    let result: { series: ColumnSeries[]; total: number } | undefined;
    this.object((key) => {
      if (key === 'resultType') resultType = this.value();
      else if (key === 'result') result = this.result();
      else this.value();
    });
    if (resultType !== 'matrix' || !result) throw new NotPlainMatrix();
    return {
      series: result.series,
      truncated: result.total > result.series.length,
      totalSeries: result.total,
      warnings: [],
    };
  }

  private result() {
    const series: ColumnSeries[] = [];
    let total = 0;
    this.array(() => {
      // Series beyond the cap are only counted, as decodeQueryResponse does.
      if (total++ < this.maxSeries) series.push(this.element());
      else this.value();
    });
    return { series, total };
  }

  private element(): ColumnSeries {
    let metric: Record<string, string> | undefined;
    let columns: { times: Float64Array; values: Float64Array } | undefined;
    this.object((key) => {
      if (key === 'metric') metric = this.labels();
      else if (key === 'values') columns = this.samples();
      // Native histograms, unknown keys: the general decoder knows what to say about them.
      else throw new NotPlainMatrix();
    });
    if (!metric) throw new NotPlainMatrix();
    return { metric, times: columns?.times ?? new Float64Array(0), values: columns?.values ?? new Float64Array(0) };
  }

  private labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    this.object((key) => {
      const value = this.value();
      if (typeof value !== 'string') throw new NotPlainMatrix();
      labels[key] = value;
    });
    return labels;
  }

  private strings(): string[] {
    const list = this.value();
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) throw new NotPlainMatrix();
    return list;
  }

  /** `[[time, "value"], …]` into two growing columns. */
  private samples(): { times: Float64Array; values: Float64Array } {
    let times: Float64Array<ArrayBuffer> = new Float64Array(1024);
    let values: Float64Array<ArrayBuffer> = new Float64Array(1024);
    let n = 0;
    this.array(() => {
      this.expect(OPEN_BRACKET);
      this.space();
      const time = this.number();
      this.space();
      this.expect(COMMA);
      this.space();
      this.expect(QUOTE);
      const from = this.at;
      const to = this.text.indexOf('"', from);
      if (to < 0) throw new NotPlainMatrix();
      const value = decimal(this.text, from, to) ?? sampleValue(this.text.slice(from, to));
      if (value === null) throw new NotPlainMatrix();
      this.at = to + 1;
      this.space();
      this.expect(CLOSE_BRACKET);
      if (n === times.length) {
        times = grown(times);
        values = grown(values);
      }
      times[n] = time;
      values[n] = value;
      n++;
    });
    // Copied to their exact length, so the spare capacity is let go.
    return { times: times.slice(0, n), values: values.slice(0, n) };
  }

  private object(onKey: (key: string) => void): void {
    this.space();
    this.expect(OPEN_BRACE);
    this.space();
    if (this.peek() === CLOSE_BRACE) {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      this.expect(COLON);
      this.space();
      onKey(key);
      this.space();
      if (this.peek() !== COMMA) break;
      this.at++;
    }
    this.expect(CLOSE_BRACE);
  }

  private array(onItem: () => void): void {
    this.space();
    this.expect(OPEN_BRACKET);
    this.space();
    if (this.peek() === CLOSE_BRACKET) {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      onItem();
      this.space();
      if (this.peek() !== COMMA) break;
      this.at++;
    }
    this.expect(CLOSE_BRACKET);
  }

  /** Any JSON value, the small parts of the answer: read by JSON.parse once its end is found. */
  private value(): unknown {
    this.space();
    const from = this.at;
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === OPEN_BRACE) this.object(() => this.value());
    else if (c === OPEN_BRACKET) this.array(() => this.value());
    else while (this.at < this.text.length && /[-+.\w]/.test(this.text[this.at]!)) this.at++;
    try {
      return JSON.parse(this.text.slice(from, this.at));
    } catch {
      throw new NotPlainMatrix();
    }
  }

  private string(): string {
    this.expect(QUOTE);
    const from = this.at;
    let escaped = false;
    let to = from;
    for (; ; to++) {
      const c = this.text.charCodeAt(to);
      if (Number.isNaN(c)) throw new NotPlainMatrix();
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        to++;
      }
    }
    this.at = to + 1;
    if (!escaped) return this.text.slice(from, to);
    try {
      return JSON.parse(this.text.slice(from - 1, to + 1)) as string;
    } catch {
      throw new NotPlainMatrix();
    }
  }

  private number(): number {
    const from = this.at;
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if ((c >= ZERO && c <= NINE) || c === DOT || c === MINUS || c === PLUS || c === 0x65 || c === 0x45) this.at++;
      else break;
    }
    const value = decimal(this.text, from, this.at) ?? Number(this.text.slice(from, this.at));
    if (from === this.at || Number.isNaN(value)) throw new NotPlainMatrix();
    return value;
  }

  private space(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at++;
      else return;
    }
  }

  private peek(): number {
    return this.text.charCodeAt(this.at);
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.at) !== c) throw new NotPlainMatrix();
    this.at++;
  }
}

/**
 * `[-]digits[.digits]` whose digits make an integer below 2^53, exactly as
 * Number() reads it: that integer is exact, and one division by an exact power
 * of ten rounds correctly. Null for anything else (17 digits, exponents), left to Number().
 */
function decimal(text: string, from: number, to: number): number | null {
  const negative = text.charCodeAt(from) === MINUS;
  const first = negative ? from + 1 : from;
  let mantissa = 0;
  let scale = -1;
  for (let i = first; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (scale >= 0) scale++;
    } else if (c === DOT && scale < 0 && i > first && i + 1 < to) scale = 0;
    else return null;
  }
  // Every partial integer is below the last one: if that is below 2^53, none was rounded.
  if (mantissa >= MAX_EXACT || scale >= EXACT_POWERS.length || to === first) return null;
  const magnitude = scale > 0 ? mantissa / EXACT_POWERS[scale]! : mantissa;
  return negative ? -magnitude : magnitude;
}

/** A value string decimal() left: Number() for plain numbers, parseSampleValue for NaN, ±Inf, blanks and the rest. */
function sampleValue(text: string): number | null {
  const value = Number(text);
  return value === 0 || Number.isNaN(value) ? parseSampleValue(text) : value;
}

function grown(column: Float64Array): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(column.length * 2);
  larger.set(column);
  return larger;
}
