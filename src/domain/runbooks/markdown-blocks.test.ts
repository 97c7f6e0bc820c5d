import { describe, expect, it } from 'vitest';
import { lexMarkdown, locateBlocks, type LocatedBlock } from './markdown-blocks.js';

const MARKDOWN = `# Title

Intro with a [link](https://example.com).

- [ ] tight task
- [x] task with a nested fence
  \`\`\`promql
  up
  \`\`\`
  - [ ] nested task

1. [ ] ordered task

   with a second paragraph (loose item)

2. [x] second ordered task

> quoted text
> - [ ] task in a quote
>
> \`\`\`sh
> echo hi
> \`\`\`

| a | b |
|---|---|
| 1 | 2 |

<details>
<summary>raw html block</summary>
</details>

## Later heading
    indented code
- plain item, not a task
- [ ] last task
`;

function describeBlock(block: LocatedBlock): string {
  if (block.kind === 'heading') return `heading:${block.token.text}`;
  if (block.kind === 'code') return `code:${block.token.text.split('\n')[0]}`;
  return `task:${block.checkbox.checked ? 'x' : ' '}`;
}

describe('locateBlocks', () => {
  const lines = MARKDOWN.split('\n');
  const blocks = locateBlocks(lexMarkdown(MARKDOWN), 1);

  it('finds headings, fences and task items at any depth, in document order, with their lines', () => {
    expect(blocks.map((b) => [describeBlock(b), b.line])).toEqual([
      ['heading:Title', 1],
      ['task: ', 5],
      ['task:x', 6],
      ['code:up', 7],
      ['task: ', 10],
      ['task: ', 12],
      ['task:x', 16],
      ['task: ', 19],
      ['code:echo hi', 21],
      ['heading:Later heading', 33],
      ['code:indented code', 34],
      ['task: ', 36],
    ]);
  });

  it('points every block at the file line that opens it', () => {
    for (const block of blocks) {
      const line = lines[block.line - 1] ?? '';
      if (block.kind === 'task') expect(line).toMatch(/\[[ x]\]/);
      else if (block.kind === 'heading') expect(line).toContain(block.token.text);
      else if (block.token.codeBlockStyle !== 'indented') expect(line).toContain('```');
    }
  });

  it('offsets lines by where the markdown starts in the file', () => {
    const [first] = locateBlocks(lexMarkdown('\n## Meaning\n'), 7);
    expect(first).toMatchObject({ kind: 'heading', line: 8 });
  });
});
