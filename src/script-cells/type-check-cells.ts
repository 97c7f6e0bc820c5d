/**
 * `deno check` of script cells against the cell API's types (cell-api.d.ts): one Deno process for
 * all the cells given, each cell a file of its own, every diagnostic placed on its runbook line.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_DIR } from '../project-dir.js';

// From the project root, not this module: bundled (the CLI's .build/cli/, `npm start`'s .build/) it is elsewhere.
export const CELL_API_TYPES = join(PROJECT_DIR, 'src/script-cells/cell-api.d.ts');

export interface CellToCheck {
  /** 1-based line of the cell's opening fence in its runbook: code line k is on fence line + k. */
  line: number;
  code: string;
}

export interface CellTypeError {
  /** Index into the cells given. */
  cell: number;
  line: number;
  column: number;
  message: string;
}

// `TS2345 [ERROR]: message` … `    at file:///tmp/x/cell-3.ts:2:12`
const DIAGNOSTIC = /^(TS\d+) \[ERROR\]: ([\s\S]*?)\n[\s\S]*?^\s+at file:\/\/.*\/cell-(\d+)\.ts:(\d+):(\d+)$/gm;

export async function typeCheckCells(
  denoPath: string,
  denoDir: string,
  cells: CellToCheck[],
): Promise<CellTypeError[]> {
  if (cells.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'alertbook-check-'));
  try {
    await copyFile(CELL_API_TYPES, join(dir, 'cell-api.d.ts'));
    await writeFile(join(dir, 'deno.json'), JSON.stringify({ compilerOptions: { types: ['./cell-api.d.ts'] } }));
    const files = await Promise.all(
      cells.map(async (cell, i) => {
        const name = `cell-${i}.ts`;
        // A cell with no import or export is still a module, so top-level await and its own names stay its own.
        await writeFile(join(dir, name), `${cell.code}\nexport {};\n`);
        return name;
      }),
    );
    const output = await runDenoCheck(denoPath, denoDir, dir, files);
    const errors: CellTypeError[] = [];
    for (const match of output.matchAll(DIAGNOSTIC)) {
      const index = Number(match[3]);
      errors.push({
        cell: index,
        line: cells[index]!.line + Number(match[4]),
        column: Number(match[5]),
        message: `${match[1]}: ${match[2]!.trim()}`,
      });
    }
    return errors;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runDenoCheck(denoPath: string, denoDir: string, cwd: string, files: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      denoPath,
      ['check', '--config', 'deno.json', '--no-lock', '--no-remote', '--no-npm', '--quiet', ...files],
      {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { DENO_DIR: denoDir, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', () => resolve(output));
  });
}
