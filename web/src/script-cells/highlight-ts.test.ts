import { describe, expect, it } from 'vitest';
import { highlightTs } from './highlight-ts.js';

describe('highlightTs', () => {
  it('marks keywords, the cell API, strings, template literals, numbers and comments', () => {
    expect(
      highlightTs('const up = await query(`up{job="${alert.labels.job}"}`); // now\nshow.table([{ n: 1.5 }]);'),
    ).toEqual([
      { kind: 'keyword', text: 'const' },
      { kind: 'plain', text: ' up = ' },
      { kind: 'keyword', text: 'await' },
      { kind: 'plain', text: ' ' },
      { kind: 'api', text: 'query' },
      { kind: 'plain', text: '(' },
      { kind: 'string', text: '`up{job="${alert.labels.job}"}`' },
      { kind: 'plain', text: '); ' },
      { kind: 'comment', text: '// now' },
      { kind: 'plain', text: '\n' },
      { kind: 'api', text: 'show' },
      { kind: 'plain', text: '.table([{ n: ' },
      { kind: 'number', text: '1.5' },
      { kind: 'plain', text: ' }]);' },
    ]);
  });

  it('gives back every character, also of unterminated strings and comments', () => {
    for (const code of ['const s = "open', "x = 'a\\'b'; /* never closed", 'a /* c */ b // end', '']) {
      expect(
        highlightTs(code)
          .map((t) => t.text)
          .join(''),
      ).toBe(code);
    }
  });
});
