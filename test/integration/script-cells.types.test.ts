import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateDeno } from '../../src/script-cells/deno-binary.js';
import { CELL_API_TYPES, typeCheckCells } from '../../src/script-cells/type-check-cells.js';

const deno = locateDeno();
const denoDir = mkdtempSync(join(tmpdir(), 'alertbook-deno-'));
afterAll(() => rmSync(denoDir, { recursive: true, force: true }));

function denoPath(): string {
  if (!deno.available) throw new Error(deno.reason);
  return deno.path;
}

const FORMAT_DOC = readFileSync(new URL('../../runbooks/README.md', import.meta.url), 'utf8');

// The example cells of the runbook format doc, as written there.
function documentedCells(): string[] {
  const doc = FORMAT_DOC;
  return [...doc.matchAll(/^```ts[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

// A TypeScript check takes seconds of CPU; on a shared machine, tens.
describe('the cell API types (cell-api.d.ts) in deno check', { timeout: 90_000 }, () => {
  it('accept every part of the API', async () => {
    const code = [
      `const now = await query('up', { datasource: 'default', time: new Date() });`,
      `const range = await queryRange('rate(x[5m])', { range: '15m', step: 60, end: Date.now() / 1000 });`,
      `if ('series' in range) show.chart(range.series, { threshold: 0.01, unit: 'percentunit' });`,
      `if ('series' in now) show.table(now.series.map((s) => ({ ...s.metric, value: s.values[0]?.[1] ?? NaN })));`,
      `show.markdown('**' + alert.labels.alertname + '** ' + (alert.annotations.summary ?? ''));`,
      `show.json({ id: incident.id, title: incident.title, status: incident.status, startedAt: new Date(incident.startedAt) });`,
    ].join('\n');
    expect(await typeCheckCells(denoPath(), denoDir, [{ line: 10, code }])).toEqual([]);
  });

  it('place each error on its runbook line', async () => {
    const errors = await typeCheckCells(denoPath(), denoDir, [
      { line: 10, code: 'show.table([]);' },
      { line: 20, code: `const ok = 1;\nshow.table('rows');\nconst n: number = alert.labels.job;` },
    ]);
    expect(errors).toEqual([
      {
        cell: 1,
        line: 22,
        column: 12,
        message: expect.stringMatching(/^TS2345: Argument of type 'string' is not assignable/),
      },
      {
        cell: 1,
        line: 23,
        column: 7,
        message: expect.stringMatching(/^TS2322: Type 'string' is not assignable to type 'number'/),
      },
    ]);
  });

  it('accept the examples of the runbook format doc', async () => {
    const cells = documentedCells();
    expect(cells.length).toBeGreaterThan(0);
    expect(
      await typeCheckCells(
        denoPath(),
        denoDir,
        cells.map((code) => ({ line: 1, code })),
      ),
    ).toEqual([]);
  });
});

describe('the cell API as the runbook format doc shows it', () => {
  const types = readFileSync(CELL_API_TYPES, 'utf8');
  const section = FORMAT_DOC.slice(FORMAT_DOC.indexOf('### The cell API'), FORMAT_DOC.indexOf('### Permissions'));

  it('lists every global and every show method the .d.ts declares', () => {
    const globals = [...types.matchAll(/^declare (?:const|function|namespace) (\w+)/gm)].map((m) => m[1]!);
    const show = types.slice(types.indexOf('declare const show'));
    const methods = [...show.matchAll(/^ {2}(\w+)\(/gm)].map((m) => `show.${m[1]}`);
    expect(globals).toEqual(['alert', 'incident', 'query', 'queryRange', 'show']);
    expect(methods).toEqual(['show.table', 'show.chart', 'show.markdown', 'show.json']);
    for (const name of [...globals, ...methods]) expect(section).toContain(`\`${name}`);
  });

  it("gives query's and queryRange's options as the .d.ts names them", () => {
    for (const name of ['query', 'queryRange']) {
      const declared = new RegExp(`declare function ${name}\\([^]*?options\\?: \\{([^}]*)\\}`).exec(types)?.[1] ?? '';
      const documented = new RegExp(`\`${name}\\(promql, \\{ ([^}]*) \\}\\)\``).exec(section)?.[1] ?? '';
      const names = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]).sort();
      expect(names(documented, /(\w+)\?/g), name).toEqual(names(declared, /(\w+)\?:/g));
      expect(documented, name).not.toBe('');
    }
  });
});
