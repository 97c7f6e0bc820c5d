/**
 * Markdown → safe HTML for the notebook. marked renders, sanitize-html decides what
 * survives (html-sanitizer.ts). Runbooks get the notebook's mount points: each
 * ```promql and ```ts cell becomes `<div class="ab-cell" data-cell-id="…">` followed by its
 * code, each task checkbox carries `data-step-id`, each heading an anchor id.
 */
import { LRUCache } from 'lru-cache';
import { Marked, type Token, type Tokens } from 'marked';
import { splitFrontmatter } from './frontmatter.js';
import { sanitizeNoteHtml, sanitizeRunbookHtml } from './html-sanitizer.js';
import { inlineText } from './inline-text.js';
import { lexMarkdown, locateBlocks } from './markdown-blocks.js';
import type { ParsedRunbook } from './runbook.js';
import { slugify, UniqueIds } from './slug.js';

interface RunbookHooks {
  cellIdByCode: Map<Tokens.Code, string>;
  stepIdByCheckbox: Map<Tokens.Checkbox, string>;
}

export function renderRunbookHtml(parsed: ParsedRunbook): string {
  const tokens = lexMarkdown(parsed.body);
  return sanitizeRunbookHtml(toHtml(tokens, hooksFor(parsed, tokens)));
}

// Notes are rendered on every read of their incident (1,000 notes made a load
// cost ~100 ms), and a text always renders the same: keep the recent ones, up
// to about 8 M characters of markdown and HTML.
const renderedNotes = new LRUCache<string, string>({
  maxSize: 8 * 1024 * 1024,
  sizeCalculation: (html, markdown) => markdown.length + html.length,
});

/**
 * For incident notes: the same sanitizer, without runbook hooks. Headings get no
 * ids either, which would collide with the runbook's anchors on the same page.
 */
export function renderMarkdownSafe(markdown: string): string {
  let html = renderedNotes.get(markdown);
  if (html === undefined) {
    html = sanitizeNoteHtml(toHtml(lexMarkdown(markdown), null));
    renderedNotes.set(markdown, html);
  }
  return html;
}

/** Ties tokens to the parsed cells and steps by the file line they start on. */
function hooksFor(parsed: ParsedRunbook, tokens: Token[]): RunbookHooks {
  const split = splitFrontmatter(parsed.content.replace(/\r\n?/g, '\n'));
  const bodyFirstLine = split.kind === 'split' ? split.bodyFirstLine : 1;
  const cellIdByLine = new Map([...parsed.cells, ...parsed.scriptCells].map((cell) => [cell.line, cell.id]));
  const stepIdByLine = new Map(parsed.steps.map((step) => [step.line, step.id]));
  const hooks: RunbookHooks = { cellIdByCode: new Map(), stepIdByCheckbox: new Map() };
  for (const block of locateBlocks(tokens, bodyFirstLine)) {
    const cellId = block.kind === 'code' ? cellIdByLine.get(block.line) : undefined;
    if (block.kind === 'code' && cellId !== undefined) hooks.cellIdByCode.set(block.token, cellId);
    const stepId = block.kind === 'task' ? stepIdByLine.get(block.line) : undefined;
    if (block.kind === 'task' && stepId !== undefined) hooks.stepIdByCheckbox.set(block.checkbox, stepId);
  }
  return hooks;
}

// Only plain language names become a class; anything else in an info string is dropped.
const LANGUAGE = /^[A-Za-z0-9_+#.-]+$/;

function toHtml(tokens: Token[], hooks: RunbookHooks | null): string {
  const headingIds = new UniqueIds();
  const marked = new Marked({
    gfm: true,
    renderer: {
      code(token) {
        const language = /^\S*/.exec(token.lang ?? '')?.[0] ?? '';
        const className = LANGUAGE.test(language) ? ` class="language-${language}"` : '';
        const pre = `<pre><code${className}>${escapeHtml(token.text)}</code></pre>\n`;
        const cellId = hooks?.cellIdByCode.get(token);
        return cellId === undefined ? pre : `<div class="ab-cell" data-cell-id="${escapeHtml(cellId)}"></div>\n${pre}`;
      },
      heading({ tokens: inline, depth }) {
        const content = this.parser.parseInline(inline);
        if (!hooks) return `<h${depth}>${content}</h${depth}>\n`;
        const id = headingIds.claim(slugify(inlineText(inline)) || 'section');
        return `<h${depth} id="${escapeHtml(id)}">${content}</h${depth}>\n`;
      },
      checkbox(token) {
        const stepId = hooks?.stepIdByCheckbox.get(token);
        const stepAttribute = stepId === undefined ? '' : ` data-step-id="${escapeHtml(stepId)}"`;
        return `<input type="checkbox" disabled${token.checked ? ' checked' : ''}${stepAttribute}> `;
      },
    },
  });
  return marked.parser(tokens);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}
