import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { parseRunbook } from '../../domain/runbooks/parse-runbook.js';
import { Datasources } from '../../prometheus/datasources.js';
import { locateDeno } from '../../script-cells/deno-binary.js';
import { QueryGateway } from '../../script-cells/query-gateway.js';
import { ScriptRunner } from '../../script-cells/script-runner.js';
import type { CliIo, ExitCode } from '../cli-io.js';
import { runCommand } from '../run-command.js';
import { formatCellOutputs } from '../format/format-cell-output.js';

export const RUN_USAGE = `usage: alertbook run <runbook.md> [--cell <id>] [--label k=v]... [--prometheus <url>]

Runs the runbook's script cells (or the one named) as the service would: in Deno, with the
runbook's permissions, querying through an in-process gateway on a loopback port. The runbook's
folder is the one its read permissions are confined to.
Exit code: 0 every cell ran, 1 a cell failed or is disabled, 2 could not run.`;

interface RunOptions {
  file: string;
  cell: string | null;
  labels: Record<string, string>;
  prometheus: string;
}

export async function runCells(args: string[], io: CliIo): Promise<ExitCode> {
  return runCommand({ name: 'run', usage: RUN_USAGE, args, io }, parseRunArgs, run);
}

async function run(options: RunOptions, io: CliIo): Promise<ExitCode> {
  const path = resolve(io.cwd, options.file);
  const runbook = parseRunbook({ path: basename(path), content: await readFile(path, 'utf8') });
  const cells = options.cell ? runbook.scriptCells.filter((cell) => cell.id === options.cell) : runbook.scriptCells;
  if (options.cell && cells.length === 0) {
    throw new Error(
      `no script cell "${options.cell}" in ${options.file} (script cells: ${runbook.scriptCells.map((c) => c.id).join(', ') || 'none'})`,
    );
  }
  // The runbook's datasource name and `default` both reach the one Prometheus given.
  const names = [...new Set(['default', runbook.datasource])];
  const gateway = new QueryGateway(new Datasources(names.map((name) => ({ name, url: options.prometheus }))));
  // On a laptop or in CI, whoever runs it is the operator: the ceiling is what the runbook declares.
  const runner = new ScriptRunner({
    deno: locateDeno(),
    denoDir: join(tmpdir(), 'alertbook-deno'),
    runbooksDir: dirname(path),
    gateway,
    serviceEnv: io.env ?? {},
    ceiling: { net: runbook.permissions.net, env: runbook.permissions.env },
    concurrency: 1,
  });
  try {
    const disabled = runner.disabledReason(runbook);
    if (disabled) {
      io.stderr(`alertbook run: the script cells of ${options.file} are disabled: ${disabled}\n`);
      return 1;
    }
    let failed = false;
    for (const cell of cells) {
      io.stdout(`▶ ${cell.id}${cell.title ? ` — ${cell.title}` : ''} (line ${cell.line})\n`);
      const result = await runner.run({
        code: cell.code,
        timeoutSeconds: cell.timeout,
        permissions: runbook.permissions,
        datasource: runbook.datasource,
        alert: { labels: options.labels, annotations: {} },
        incident: { id: 0, title: runbook.title, status: 'firing', startedAt: new Date().toISOString() },
      });
      io.stdout(formatCellOutputs(result.outputs));
      if (result.error) {
        failed = true;
        io.stderr(`✗ ${cell.id}: ${result.error}\n`);
      }
      io.stdout(`  (${result.durationMs} ms)\n\n`);
    }
    return failed ? 1 : 0;
  } finally {
    await gateway.close();
  }
}

function parseRunArgs(args: string[]): RunOptions | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      cell: { type: 'string' },
      label: { type: 'string', multiple: true },
      prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new Error(`expected one runbook file, got ${positionals.length}`);
  if (!/^https?:\/\/[^/]/.test(values.prometheus))
    throw new Error(`--prometheus must be an http(s) URL, not "${values.prometheus}"`);
  const labels: Record<string, string> = {};
  for (const pair of values.label ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`--label must be name=value, not "${pair}"`);
    labels[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return { file: positionals[0]!, cell: values.cell ?? null, labels, prometheus: values.prometheus };
}
