import { readFileSync } from 'node:fs';

/** True when no process `pid` runs: none at all, or a zombie waiting for a parent that does not reap it. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    // The state follows the command name, which is in parentheses.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true; // Gone between the two looks.
  }
}
