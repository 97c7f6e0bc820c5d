import type { ComponentChildren } from 'preact';
import { count } from '../../../src/domain/reports/render/format-values.js';
import { notebookHref } from './report-links.js';
import type { Figure } from './report-types.js';

/**
 * A figure of the report: its number, linked to the rows that recount it.
 * `data-query` carries the API query, so a reader (or a test) can match it to the JSON.
 */
export function FigureLink({ figure, text = count(figure) }: { figure: Figure; text?: string }) {
  return (
    <a
      class="report-figure"
      href={notebookHref(figure.query)}
      data-query={figure.query}
      title="Recount: the rows behind this number"
    >
      {text}
    </a>
  );
}

/** A scrolling table, or "None." when there are no rows. */
export function ReportTable({ caption, head, rows }: { caption: string; head: string[]; rows: ComponentChildren[][] }) {
  if (rows.length === 0) return <p class="muted small">{caption}: none.</p>;
  return (
    <div class="table-scroll">
      <table class="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {row.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportSection({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="panel report-section" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}
