import { tokenize, type AttributeProblem } from './cell-attributes.js';
import type { CodeBlock } from './promql-cell.js';
import { parsePrometheusDuration } from '../../prometheus/duration.js';
import type { Problem } from './runbook.js';
import { slugify } from './slug.js';

export const SCRIPT_LANGUAGES = new Set(['ts', 'typescript']);
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 10;
export const MAX_SCRIPT_TIMEOUT_SECONDS = 60;

/** A fenced ```ts block: a TypeScript program run by Deno with the runbook's permissions. */
export interface ScriptCell {
  /** The `id` attribute, else a slug of the title, else `cell-<n>` (one id space with the PromQL cells). */
  id: string;
  title: string | null;
  code: string;
  /** Seconds before the process group is killed. */
  timeout: number;
  /** `auto` cells run once when an incident opens. */
  run: 'manual' | 'auto';
  /** 1-based line of the opening fence. */
  line: number;
}

const CELL_ID = /^[a-z0-9][a-z0-9._-]*$/;
const KNOWN = ['id', 'title', 'timeout', 'run'];

/** Reads `id=top-routes title="Top routes" timeout=20s run=auto` (the info string after `ts`). */
export function readScriptCell(block: CodeBlock, ordinal: number): { cell: ScriptCell; problems: Problem[] } {
  const found: AttributeProblem[] = [];
  const attributes = tokenize(block.info.attributes, found);
  const values: Partial<Pick<ScriptCell, 'id' | 'title' | 'timeout' | 'run'>> = {};
  for (const { name, raw, offset } of attributes) {
    const fail = (message: string) =>
      found.push({ code: 'invalid-cell-attribute', message: `${name} ${message}`, offset });
    if (!KNOWN.includes(name)) {
      found.push({
        code: 'unknown-cell-attribute',
        message: `unknown script cell attribute "${name}" (known: ${KNOWN.join(', ')})`,
        offset,
      });
    } else if (Object.hasOwn(values, name)) {
      found.push({ code: 'duplicate-cell-attribute', message: `cell attribute "${name}" is given twice`, offset });
    } else if (name === 'id') {
      if (raw !== null && CELL_ID.test(raw)) values.id = raw;
      else fail('must be a slug like "top-routes" ([a-z0-9][a-z0-9._-]*)');
    } else if (name === 'title') {
      if (raw?.trim()) values.title = raw.trim();
      else fail('needs a non-empty value, e.g. title="Top routes"');
    } else if (name === 'timeout') {
      const seconds = raw === null ? null : parsePrometheusDuration(raw);
      if (seconds && seconds <= MAX_SCRIPT_TIMEOUT_SECONDS) values.timeout = seconds;
      else fail(`must be a duration of at most ${MAX_SCRIPT_TIMEOUT_SECONDS}s, e.g. timeout=20s`);
    } else if (raw === 'manual' || raw === 'auto') {
      values.run = raw;
    } else {
      fail('must be manual or auto');
    }
  }
  const problems: Problem[] = found.map(({ code, message, offset }) => ({
    severity: 'error',
    code,
    message,
    line: block.line,
    column: block.info.attributesColumn + offset,
  }));
  const cell: ScriptCell = {
    id: values.id ?? (slugify(values.title ?? '') || `cell-${ordinal}`),
    title: values.title ?? null,
    code: block.code,
    timeout: values.timeout ?? DEFAULT_SCRIPT_TIMEOUT_SECONDS,
    run: values.run ?? 'manual',
    line: block.line,
  };
  return { cell, problems };
}
