// What a `check` loads before it knows whether anything must be parsed: start-up is most of a
// warm run (bench:check), so the parsers and the tuning code must stay behind dynamic imports.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliBundle } from '../../src/cli/cli-bundle.js';

/** Files of the bundle loaded with `from`, transitively: what evaluating `file` loads before it runs. */
function staticClosure(dir: string, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(dir, file), 'utf8');
  for (const [, imported] of code.matchAll(/(?:from|import) ?"\.\/([^"]+)"/g)) staticClosure(dir, imported!, seen);
  return seen;
}

describe('the CLI bundle', () => {
  it('loads no parser, schema library or tuning code before `check` decides it needs them', async () => {
    const { entry } = await cliBundle();
    const dir = dirname(fileURLToPath(entry));
    const checkChunk = /import\("\.\/(check-[A-Z0-9]+\.js)"\)/.exec(readFileSync(fileURLToPath(entry), 'utf8'))?.[1];
    expect(checkChunk).toBeDefined();

    const loaded = [...staticClosure(dir, 'main.js'), ...staticClosure(dir, checkChunk!)];
    // esbuild names each bundled module in a `// path` comment above its code.
    const modules = loaded.flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/^\/\/ (\S+)$/gm)].map(([, path]) => path!),
    );
    expect(modules.filter((path) => /node_modules\/(yaml|zod|marked|@lezer|@prometheus-io)\//.test(path))).toEqual([]);
    expect(modules.filter((path) => path.startsWith('src/domain/tuning/'))).toEqual([]);
  });
});
