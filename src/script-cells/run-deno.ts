/**
 * One `deno run` subprocess per cell run, with exactly the granted permissions and hard limits:
 * a temp working directory, an emptied environment, a V8 heap cap and a resident-memory watchdog,
 * stdout/stderr capped, and the whole process group killed at the timeout.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputDecoder, type CellOutput } from './cell-output.js';

const MiB = 1024 * 1024;

export interface DenoRunLimits {
  timeoutMs: number;
  /** Bytes of stdout, and separately of stderr, before the run is killed. */
  outputBytes: number;
  /** V8's old-space cap. */
  heapMb: number;
  /** Resident memory (heap, array buffers, wasm) before the watchdog kills the run. */
  rssMb: number;
}

export const DEFAULT_LIMITS: Omit<DenoRunLimits, 'timeoutMs'> = { outputBytes: MiB, heapMb: 128, rssMb: 384 };

export interface DenoRun {
  denoPath: string;
  /** Deno's cache, inside the data dir; nothing is ever downloaded into it (--no-remote, --no-npm). */
  denoDir: string;
  code: string;
  /** Builds the prelude module, given the marker its `show.*` prefixes structured outputs with. */
  prelude: (marker: string) => string;
  /** `--allow-*` flags, already decided (see denoPermissionFlags). */
  permissionFlags: string[];
  /** The only variables in the process' environment besides Deno's own settings. */
  env: Record<string, string>;
  limits: DenoRunLimits;
  signal?: AbortSignal;
}

export type DenoExitReason = 'exited' | 'timeout' | 'output-limit' | 'memory-limit' | 'aborted';

export interface DenoRunResult {
  exit: { code: number | null; signal: string | null; reason: DenoExitReason };
  ok: boolean;
  durationMs: number;
  outputs: CellOutput[];
  stderr: string;
  /** What went wrong, in words, for the timeline; null when the cell exited 0. */
  error: string | null;
}

export async function runDeno(run: DenoRun): Promise<DenoRunResult> {
  const cwd = await mkdtemp(join(tmpdir(), 'alertbook-cell-'));
  try {
    const marker = `\u001e${randomBytes(12).toString('hex')}`;
    await writeFile(join(cwd, 'prelude.js'), run.prelude(marker));
    await writeFile(join(cwd, 'cell.ts'), run.code);
    return await supervise(run, cwd, marker);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

export function denoArgs(run: Pick<DenoRun, 'permissionFlags' | 'limits'>): string[] {
  return [
    'run',
    '--no-prompt',
    '--no-config',
    '--no-lock',
    '--no-remote',
    '--no-npm',
    '--cached-only',
    `--v8-flags=--max-old-space-size=${run.limits.heapMb}`,
    ...run.permissionFlags,
    '--preload=./prelude.js',
    './cell.ts',
  ];
}

function supervise(run: DenoRun, cwd: string, marker: string): Promise<DenoRunResult> {
  const started = performance.now();
  const child = spawn(run.denoPath, denoArgs(run), {
    cwd,
    // Its own process group, so that the kill reaches anything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...run.env, DENO_DIR: run.denoDir, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  });
  let reason: DenoExitReason = 'exited';
  const killGroup = (why: DenoExitReason) => {
    if (reason === 'exited') reason = why;
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };

  const decoder = new OutputDecoder(marker);
  let stdoutBytes = 0;
  let stderr = '';
  let stderrBytes = 0;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdoutBytes += Buffer.byteLength(chunk);
    if (stdoutBytes > run.limits.outputBytes) return killGroup('output-limit');
    decoder.push(chunk);
  });
  child.stderr.on('data', (chunk: string) => {
    stderrBytes += Buffer.byteLength(chunk);
    if (stderrBytes > run.limits.outputBytes) return killGroup('output-limit');
    stderr += chunk;
  });

  const timer = setTimeout(() => killGroup('timeout'), run.limits.timeoutMs);
  const watchdog = setInterval(() => {
    void residentMb(child.pid).then((mb) => {
      if (mb !== null && mb > run.limits.rssMb) killGroup('memory-limit');
    });
  }, 100);
  const onAbort = () => killGroup('aborted');
  run.signal?.addEventListener('abort', onAbort, { once: true });

  return new Promise((resolve) => {
    const finish = (code: number | null, signal: string | null, spawnError?: Error) => {
      clearTimeout(timer);
      clearInterval(watchdog);
      run.signal?.removeEventListener('abort', onAbort);
      // A cell cannot start processes, but nothing of the group outlives its run either way.
      killGroup(reason);
      const exit = { code, signal, reason };
      const ok = reason === 'exited' && code === 0;
      resolve({
        exit,
        ok,
        durationMs: Math.round(performance.now() - started),
        outputs: decoder.end(),
        stderr,
        error: spawnError
          ? `deno did not start: ${spawnError.message}`
          : ok
            ? null
            : describeFailure(exit, run.limits, stderr),
      });
    };
    child.once('error', (error) => finish(null, null, error));
    // 'close', not 'exit': every byte of stdout and stderr has been read by then.
    child.once('close', (code, signal) => finish(code, signal));
  });
}

function describeFailure(exit: DenoRunResult['exit'], limits: DenoRunLimits, stderr: string): string {
  switch (exit.reason) {
    case 'timeout':
      return `killed after the cell's timeout of ${limits.timeoutMs / 1000}s`;
    case 'output-limit':
      return `killed: more than ${limits.outputBytes} bytes of output`;
    case 'memory-limit':
      return `killed: more than ${limits.rssMb} MB of memory`;
    case 'aborted':
      return 'canceled';
    case 'exited': {
      if (/out of memory|heap limit/i.test(stderr)) return `out of memory (the heap is capped at ${limits.heapMb} MB)`;
      // Deno's own words: its `error: …` line, else the last thing it said.
      const lines = stderr
        .trim()
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const said = lines.find((line) => /error/i.test(line)) ?? lines.at(-1);
      return said ?? `exited with ${exit.code ?? exit.signal}`;
    }
  }
}

/** Resident set of a process in MB, from /proc (Linux); null where there is none. */
async function residentMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    const pages = Number(statm.split(' ')[1]);
    return (pages * 4096) / MiB;
  } catch {
    return null;
  }
}
