/** What a run hands back: its text and structured outputs, in the order the cell made them. */
export type CellOutput =
  | { kind: 'text'; text: string }
  | { kind: 'table'; rows: Record<string, unknown>[] }
  | { kind: 'chart'; series: unknown[]; threshold?: number; unit?: string }
  | { kind: 'markdown'; text: string }
  | { kind: 'json'; value: unknown };

const STRUCTURED = new Set(['table', 'chart', 'markdown', 'json']);

/**
 * Splits stdout into outputs: a line opening with the run's marker (written by the prelude's
 * `show.*`) is one structured output, JSON after the marker; anything else is text. The marker
 * carries a per-run nonce so that printed text never passes for an output by accident.
 */
export class OutputDecoder {
  readonly outputs: CellOutput[] = [];
  private pending = '';

  constructor(private readonly marker: string) {}

  push(chunk: string): void {
    this.pending += chunk;
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      this.line(this.pending.slice(0, newline + 1));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
  }

  end(): CellOutput[] {
    if (this.pending) this.line(this.pending);
    this.pending = '';
    return this.outputs;
  }

  private line(line: string): void {
    if (line.startsWith(this.marker)) {
      const output = decodeStructured(line.slice(this.marker.length));
      if (output) {
        this.outputs.push(output);
        return;
      }
    }
    const last = this.outputs.at(-1);
    if (last?.kind === 'text') last.text += line;
    else this.outputs.push({ kind: 'text', text: line });
  }
}

function decodeStructured(json: string): CellOutput | null {
  try {
    const value = JSON.parse(json) as { kind?: unknown };
    return typeof value === 'object' && value !== null && STRUCTURED.has(value.kind as string)
      ? (value as CellOutput)
      : null;
  } catch {
    return null;
  }
}
