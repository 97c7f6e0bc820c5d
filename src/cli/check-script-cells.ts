import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { transform } from 'esbuild';
import type { CheckProblem } from '../domain/check/check-problem.js';
import type { LocatedRunbook } from '../domain/check/check-subjects.js';
import type { DenoBinary } from '../script-cells/deno-binary.js';
import { typeCheckCells } from '../script-cells/type-check-cells.js';

/**
 * Each script cell checked against the cell API's types with `deno check`; where there is no
 * Deno for the platform, its syntax only, with esbuild.
 */
export async function checkScriptCells(runbooks: LocatedRunbook[], deno: DenoBinary): Promise<CheckProblem[]> {
  const cells = runbooks.flatMap(({ file, runbook }) => runbook.scriptCells.map((cell) => ({ file, cell })));
  if (cells.length === 0) return [];
  if (deno.available) {
    const errors = await typeCheckCells(
      deno.path,
      join(tmpdir(), 'alertbook-deno'),
      cells.map(({ cell }) => cell),
    );
    return errors.map((error) => ({
      file: cells[error.cell]!.file,
      severity: 'error',
      code: 'script-type-error',
      message: `cell "${cells[error.cell]!.cell.id}": ${error.message}`,
      line: error.line,
      column: error.column,
    }));
  }
  const problems: CheckProblem[] = [];
  for (const { file, cell } of cells) {
    try {
      await transform(cell.code, { loader: 'ts', format: 'esm' });
    } catch (error) {
      for (const message of (error as { errors?: { text: string; location?: { line: number; column: number } }[] })
        .errors ?? []) {
        problems.push({
          file,
          severity: 'error',
          code: 'script-syntax',
          message: `cell "${cell.id}": ${message.text} (syntax only: no Deno for this platform)`,
          line: cell.line + (message.location?.line ?? 1),
          column: (message.location?.column ?? 0) + 1,
        });
      }
    }
  }
  return problems;
}
