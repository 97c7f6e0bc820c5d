/**
 * Reads a runbook file (format: runbooks/README.md) into its parts. Pure: the caller
 * reads the file; bad content never throws, it comes back as `problems`.
 */
import { createHash } from 'node:crypto';
import { readFenceInfo } from './code-fence.js';
import { readFrontmatter, RUNBOOK_ID, splitFrontmatter, type Frontmatter } from './frontmatter.js';
import { inlineText } from './inline-text.js';
import { lexMarkdown, locateBlocks, type LocatedBlock } from './markdown-blocks.js';
import { readPromqlCell } from './promql-cell.js';
import { readScriptCell, SCRIPT_LANGUAGES, type ScriptCell } from './script-cell.js';
import { NO_PERMISSIONS } from './script-permissions.js';
import type { ParsedRunbook, Problem, RunbookCell, RunbookStep, ShellBlock } from './runbook.js';
import { slugify, UniqueIds } from './slug.js';

export type { LabelMatcher, ParsedRunbook, Placeholder, Problem, RunbookCell, RunbookStep } from './runbook.js';
export { isRunbookFile } from './frontmatter.js';

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);
const RECOMMENDED_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'];

const NO_FRONTMATTER: Frontmatter = {
  id: null,
  title: null,
  alerts: [],
  match: [],
  owner: null,
  datasource: 'default',
  permissions: NO_PERMISSIONS,
  permissionsError: null,
};

export function parseRunbook(input: { path: string; content: string }): ParsedRunbook {
  const { path, content } = input;
  const text = content.replace(/\r\n?/g, '\n');
  const fileLines = text.split('\n');
  const problems: Problem[] = [];
  const problemAtStart = (code: string, message: string) =>
    problems.push({ severity: 'error', code, message, line: 1, column: 1 });

  const split = splitFrontmatter(text);
  let frontmatter = NO_FRONTMATTER;
  let body = '';
  let bodyFirstLine = 1;
  if (split.kind === 'not-a-runbook') {
    problemAtStart('frontmatter-missing', 'a runbook starts with a `---` line opening its YAML frontmatter');
    body = text;
  } else if (split.kind === 'unterminated') {
    problemAtStart('frontmatter-unterminated', 'the frontmatter opened on line 1 has no closing `---` line');
  } else {
    const read = readFrontmatter(split.yaml);
    frontmatter = read.frontmatter;
    problems.push(...read.problems);
    body = split.body;
    bodyFirstLine = split.bodyFirstLine;
  }

  const defaultId = path.replace(/\.md$/i, '');
  if (frontmatter.id === null && !RUNBOOK_ID.test(defaultId)) {
    problemAtStart(
      'invalid-default-id',
      `the id taken from the path ("${defaultId}") is not a valid slug; set \`id:\` in the frontmatter`,
    );
  }

  const blocks = locateBlocks(lexMarkdown(body), bodyFirstLine);
  const sections = blocks.flatMap((b) => (b.kind === 'heading' ? [inlineText(b.token.tokens)] : []));
  const { cells, scriptCells, shellBlocks } = readCodeBlocks(blocks, fileLines, problems);
  if (split.kind === 'split') warnAboutMissingSections(sections, problems);

  return {
    id: frontmatter.id ?? defaultId,
    path,
    title: frontmatter.title ?? defaultId,
    alerts: frontmatter.alerts,
    match: frontmatter.match,
    owner: frontmatter.owner,
    datasource: frontmatter.datasource,
    sections,
    cells,
    scriptCells,
    permissions: frontmatter.permissions,
    permissionsError: frontmatter.permissionsError,
    steps: readSteps(blocks),
    shellBlocks,
    body,
    content,
    sha: createHash('sha256').update(content).digest('hex'),
    problems: problems.sort((a, b) => a.line - b.line || a.column - b.column),
  };
}

function readCodeBlocks(blocks: LocatedBlock[], fileLines: readonly string[], problems: Problem[]) {
  const cells: RunbookCell[] = [];
  const scriptCells: ScriptCell[] = [];
  const shellBlocks: ShellBlock[] = [];
  const cellLineById = new Map<string, number>();
  // PromQL and script cells share one id space: the run endpoint and the live feed name cells by id.
  const claimId = (id: string, line: number) => {
    const firstLine = cellLineById.get(id);
    if (firstLine !== undefined) {
      problems.push({
        severity: 'error',
        code: 'duplicate-cell-id',
        message: `cell id "${id}" is already used by the cell on line ${firstLine}; give one of them id="…"`,
        line,
        column: 1,
      });
    } else cellLineById.set(id, line);
  };
  for (const block of blocks) {
    if (block.kind !== 'code' || block.token.codeBlockStyle === 'indented') continue;
    const info = readFenceInfo(fileLines[block.line - 1] ?? '');
    if (!info) continue;
    if (SHELL_LANGUAGES.has(info.language)) {
      shellBlocks.push({ lang: info.language, code: block.token.text, line: block.line });
    } else if (info.language === 'promql') {
      const read = readPromqlCell(
        { code: block.token.text, line: block.line, info },
        cells.length + scriptCells.length + 1,
        fileLines,
      );
      problems.push(...read.problems);
      claimId(read.cell.id, block.line);
      cells.push(read.cell);
    } else if (SCRIPT_LANGUAGES.has(info.language)) {
      const read = readScriptCell(
        { code: block.token.text, line: block.line, info },
        cells.length + scriptCells.length + 1,
      );
      problems.push(...read.problems);
      claimId(read.cell.id, block.line);
      scriptCells.push(read.cell);
    }
  }
  return { cells, scriptCells, shellBlocks };
}

function readSteps(blocks: LocatedBlock[]): RunbookStep[] {
  const ids = new UniqueIds();
  const steps: RunbookStep[] = [];
  for (const block of blocks) {
    if (block.kind !== 'task') continue;
    // The item's own line of text; nested lists and code under it are not part of the step's name.
    const ownText = block.item.tokens.find((t) => t.type === 'text' || t.type === 'paragraph');
    const text = ownText && 'tokens' in ownText && ownText.tokens ? inlineText(ownText.tokens) : '';
    const id = ids.claim(`step-${slugify(text) || steps.length + 1}`);
    steps.push({ id, text, checked: block.checkbox.checked, line: block.line });
  }
  return steps;
}

function warnAboutMissingSections(sections: string[], problems: Problem[]): void {
  const present = new Set(sections.map((s) => s.toLowerCase()));
  const missing = RECOMMENDED_SECTIONS.filter((s) => !present.has(s.toLowerCase()));
  if (missing.length === 0) return;
  problems.push({
    severity: 'warning',
    code: 'missing-section',
    message: `recommended sections missing: ${missing.map((s) => `## ${s}`).join(', ')}`,
    line: 1,
    column: 1,
  });
}
