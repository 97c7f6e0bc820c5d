import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package's bin entry, as CI and users run it. */
export const CLI_BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `alertbook <args>` in a process of its own, in `cwd`, with `env` (default: this process's); resolves when it exits. */
export function runAlertbook(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
