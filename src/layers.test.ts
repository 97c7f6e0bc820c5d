import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The folders under src/ a file imports from (relative imports only), read by TypeScript's own pre-processor. */
function importedFolders(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(SRC, join(SRC, dirname(file), name)).split('/')[0]!);
}

// Layers that have been straightened; a linter rule may take these over.
describe('layers', () => {
  it.each([
    ['config.ts', 'http'],
    ['prometheus/step.ts', 'domain'],
  ])('%s does not import from %s/', (file, forbidden) => {
    expect(importedFolders(file)).not.toContain(forbidden);
  });
});
