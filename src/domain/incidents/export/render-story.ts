import { renderMarkdownSafe } from '../../runbooks/render-runbook.js';
import { escapeXml } from '../../reports/render/svg-charts.js';
import { formatValue } from './format-value.js';
import type { StoryBlock } from './incident-story.js';
import { snapshotSvg } from './snapshot-svg.js';
import { snapshotSeries } from './snapshot-values.js';
import { escapeMarkdown, escapeTableCell } from './markdown-text.js';

/** Rows of a snapshot's table in markdown: enough to read the shape, not a data dump. */
const MAX_TABLE_ROWS = 20;

export function renderStoryMarkdown(blocks: StoryBlock[]): string {
  return `${blocks.map((b) => (b.kind === 'markdown' ? b.text : snapshotTable(b))).join('\n')}\n`;
}

/** One self-contained file: inline CSS and SVG, no script, nothing fetched. */
export function renderStoryHtml(blocks: StoryBlock[], title: string): string {
  const body = blocks
    .map((b) =>
      b.kind === 'markdown'
        ? renderMarkdownSafe(b.text)
        : `<figure>${snapshotSvg(b.title, snapshotSeries(b.snapshot), b.snapshot)}<figcaption><code>${escapeXml(b.snapshot.query)}</code></figcaption></figure>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8b949e;--line:#30363d}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:960px;margin:0 auto;padding:16px}
table{border-collapse:collapse;margin:8px 0 16px;display:block;overflow-x:auto}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left}
blockquote{margin:0 0 8px;padding-left:12px;border-left:3px solid var(--line)}
figure{margin:8px 0 16px}figcaption{color:var(--muted);font-size:12px}svg{width:100%;height:auto;max-width:640px}
svg .tick{font-size:10px;fill:var(--muted)}svg .chart-title{font-size:12px;fill:var(--fg)}svg .axis{stroke:var(--line)}`;

function snapshotTable(block: Extract<StoryBlock, { kind: 'snapshot' }>): string {
  const series = snapshotSeries(block.snapshot);
  const heading = `\n### ${escapeMarkdown(block.title)}\n\n\`${block.snapshot.query.replace(/`/g, "'")}\`\n`;
  if (series.length === 0) return `${heading}\n*No data.*\n`;
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const shown = evenly(times, MAX_TABLE_ROWS);
  const byTime = series.map((s) => new Map(s.points));
  const rows = [
    `| time (UTC) | ${series.map((s) => escapeTableCell(s.name)).join(' | ')} |`,
    `|---|${series.map(() => '---').join('|')}|`,
    ...shown.map(
      (t) =>
        `| ${new Date(t * 1000).toISOString().slice(11, 19)} | ${byTime.map((m) => (m.has(t) ? formatValue(m.get(t)!) : '–')).join(' | ')} |`,
    ),
  ];
  const note =
    shown.length < times.length ? `\n*${shown.length} of ${times.length} points shown, evenly spaced.*\n` : '';
  return `${heading}\n${rows.join('\n')}\n${note}`;
}

/** At most `n` items, evenly spaced, keeping the first and the last. */
function evenly<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!);
}
