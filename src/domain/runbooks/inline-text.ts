import type { Token } from 'marked';

/** The readable text of inline markdown: `Check *the* [dashboard](…)` → `Check the dashboard`. */
export function inlineText(tokens: readonly Token[]): string {
  return collect(tokens).replace(/\s+/g, ' ').trim();
}

function collect(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    if (token.type === 'html' || token.type === 'checkbox') continue;
    if ('tokens' in token && Array.isArray(token.tokens)) text += collect(token.tokens);
    else if (token.type === 'br') text += ' ';
    else if ('text' in token && typeof token.text === 'string') text += token.text;
  }
  return text;
}
