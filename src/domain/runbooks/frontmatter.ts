/**
 * The YAML block between `---` lines that opens every runbook: what it is called,
 * which alerts it serves, and who owns it.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { fieldPath } from '../errors.js';
import type { LabelMatcher, Problem } from './runbook.js';
import {
  NO_PERMISSIONS,
  permissionsSchema,
  REFUSED_PERMISSIONS,
  type ScriptPermissions,
} from './script-permissions.js';

export const RUNBOOK_ID = /^[a-z0-9][a-z0-9._/-]*$/;

const OPENING_FENCE = /^\uFEFF?---[ \t]*$/;
const CLOSING_FENCE = /^---[ \t]*$/;

// `label: value` is equality; a leading =~, != or !~ picks that operator (regexes are anchored, as in Prometheus).
const labelMatcher = z
  .string({ error: 'must be a string; quote numbers and booleans, e.g. "500"' })
  .transform((written): Omit<LabelMatcher, 'label'> => {
    const prefixed = /^(=~|!=|!~)([\s\S]*)$/.exec(written);
    return prefixed ? { op: prefixed[1] as LabelMatcher['op'], value: prefixed[2] ?? '' } : { op: '=', value: written };
  });

const MUST_BE_STRING = { error: 'must be a string' };

const frontmatterSchema = z
  .strictObject(
    {
      id: z.string(MUST_BE_STRING).regex(RUNBOOK_ID, {
        error: 'must be a slug like "payments/high-error-rate" (lower-case letters, digits, . _ / -)',
      }),
      title: z
        .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
        .trim()
        .min(1, { error: 'must not be empty' }),
      alerts: z.array(z.string(MUST_BE_STRING).min(1, { error: 'an alert name must not be empty' }), {
        error: 'must be a list of alert names, e.g. [HighErrorRate] (or [] for a general runbook)',
      }),
      match: z.record(z.string().min(1), labelMatcher, {
        error: 'must map label names to values, e.g. {severity: critical, cluster: "=~prod-.*"}',
      }),
      owner: z.string(MUST_BE_STRING).min(1, { error: 'must not be empty' }),
      datasource: z.string(MUST_BE_STRING).min(1, { error: 'must not be empty' }),
      permissions: permissionsSchema,
    },
    { error: 'must be a YAML mapping, e.g. "title: High error rate"' },
  )
  .partial({ id: true, alerts: true, match: true, owner: true, datasource: true, permissions: true });

export interface Frontmatter {
  id: string | null;
  title: string | null;
  alerts: string[];
  match: LabelMatcher[];
  owner: string | null;
  datasource: string;
  /** What the script cells are granted; none when the block is absent. */
  permissions: ScriptPermissions;
  /** Why the permissions block is unusable (its cells are disabled, never run with less), or null. */
  permissionsError: string | null;
}

const ALLOWED_KEYS = Object.keys(frontmatterSchema.shape);

export type SplitRunbook =
  | { kind: 'not-a-runbook' }
  | { kind: 'unterminated' }
  | { kind: 'split'; yaml: string; body: string; bodyFirstLine: number };

/** Frontmatter and body of a file whose line endings are already `\n`. */
export function splitFrontmatter(text: string): SplitRunbook {
  const lines = text.split('\n');
  if (!OPENING_FENCE.test(lines[0] ?? '')) return { kind: 'not-a-runbook' };
  const closing = lines.findIndex((line, i) => i > 0 && CLOSING_FENCE.test(line));
  if (closing === -1) return { kind: 'unterminated' };
  return {
    kind: 'split',
    yaml: lines.slice(1, closing).join('\n'),
    body: lines.slice(closing + 1).join('\n'),
    bodyFirstLine: closing + 2,
  };
}

export function isRunbookFile(content: string): boolean {
  return OPENING_FENCE.test(content.split(/\r?\n/, 1)[0] ?? '');
}

/**
 * Reads and validates the frontmatter YAML. Every problem names the key and its
 * line in the file (the YAML starts on line 2). On problems, the fields that are
 * valid are still returned so a broken runbook can be shown by its title.
 */
export function readFrontmatter(yaml: string): { frontmatter: Frontmatter; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + 1, column: col };
  };

  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((issue) => ({
    severity: issue.name === 'YAMLWarning' ? 'warning' : 'error',
    code: 'frontmatter-yaml',
    message: `frontmatter: ${issue.message}`,
    ...at(issue.pos[0]),
  }));
  if (doc.errors.length > 0) return { frontmatter: salvage({}), problems };

  const data: unknown = doc.toJS() ?? {};
  const parsed = frontmatterSchema.safeParse(data);
  if (parsed.success) {
    if (parsed.data.alerts === undefined) {
      problems.push({
        severity: 'warning',
        code: 'frontmatter-no-alerts',
        message:
          'frontmatter: no `alerts:` list; name the alerts this runbook serves, or write `alerts: []` for a general runbook',
        ...at(0),
      });
    }
    return { frontmatter: toFrontmatter(parsed.data), problems };
  }

  const permissionsIssue = parsed.error.issues.find((issue) => issue.path[0] === 'permissions');
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          severity: 'error',
          code: 'frontmatter-unknown-key',
          message: `frontmatter: unknown key "${fieldPath([...issue.path, key])}" (allowed: ${ALLOWED_KEYS.join(', ')})`,
          ...at(keyOffset(doc, issue.path, key)),
        });
      }
    } else {
      const refused = issue.path[0] === 'permissions' && Object.hasOwn(REFUSED_PERMISSIONS, String(issue.path[1]));
      problems.push({
        severity: 'error',
        code: refused ? 'refused-permission' : 'frontmatter-invalid',
        message: issue.path.length
          ? `frontmatter: ${fieldPath(issue.path)} ${issue.message}`
          : `frontmatter ${issue.message}`,
        ...at(valueOffset(doc, issue.path)),
      });
    }
  }
  const frontmatter = salvage(data);
  if (permissionsIssue) {
    frontmatter.permissionsError = `frontmatter: ${fieldPath(permissionsIssue.path)} ${permissionsIssue.message}`;
  }
  return { frontmatter, problems };
}

type ValidFrontmatter = z.output<typeof frontmatterSchema>;

function toFrontmatter(valid: Partial<ValidFrontmatter>): Frontmatter {
  return {
    id: valid.id ?? null,
    title: valid.title ?? null,
    alerts: valid.alerts ?? [],
    match: Object.entries(valid.match ?? {}).map(([label, matcher]) => ({ label, ...matcher })),
    owner: valid.owner ?? null,
    datasource: valid.datasource ?? 'default',
    permissions: valid.permissions ?? NO_PERMISSIONS,
    permissionsError: null,
  };
}

/** The fields that are valid on their own, from frontmatter that failed as a whole. */
function salvage(data: unknown): Frontmatter {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const valid: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(frontmatterSchema.shape)) {
    const field = schema.safeParse(record[key]);
    if (field.success) valid[key] = field.data;
  }
  return toFrontmatter(valid as Partial<ValidFrontmatter>);
}

/** Where the value at `path` starts, or the nearest enclosing node that exists (a missing key points at its map). */
function valueOffset(doc: Document, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}

function keyOffset(doc: Document, mapPath: readonly PropertyKey[], key: string): number {
  const map = mapPath.length ? doc.getIn(mapPath, true) : doc.contents;
  if (isMap(map)) {
    const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return valueOffset(doc, mapPath);
}
