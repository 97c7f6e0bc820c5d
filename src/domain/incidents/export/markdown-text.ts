/** Text placed in markdown as itself: no emphasis, links, headings or HTML made of it. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

/** Text inside a table cell: a pipe would end the cell, a newline the row. */
export function escapeTableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
