import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseTarget } from '../../../src/db/client.js';
import { postgresClient } from '../../../src/db/client.js';

/*
 * CPU time of other processes, read from Linux's /proc: where a notification's
 * CPU goes besides the receiving process (the database server's processes, a
 * bare receiver in its own process). Elsewhere, or for a server on another
 * machine, there is no meter and the report prints "—".
 */

/** Reads a total of CPU seconds used so far; differences of two readings are what a stretch of work cost. */
export type CpuMeter = () => number;

// USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime: the process' own CPU. */
  ownTicks: number;
  /** cutime + cstime: its children's, once they exited and it reaped them. */
  reapedChildrenTicks: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command, which is in parentheses and may hold spaces: state ppid … utime(14) stime cutime cstime.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return { ppid: field(4), ownTicks: field(14) + field(15), reapedChildrenTicks: field(16) + field(17) };
}

/** One process' CPU (not its children's); null without /proc. */
export function processCpuMeter(pid: number): CpuMeter | null {
  if (readStat(pid) === null) return null;
  return () => (readStat(pid)?.ownTicks ?? 0) / TICKS_PER_SECOND;
}

/**
 * The CPU of the Postgres server at `target`, when it runs on this machine:
 * its postmaster (the parent of a backend we open) and every child, the pool's
 * backends, WAL writer and checkpointer among them; children that exited
 * meanwhile are counted through the postmaster's reaped-children total.
 */
export async function serverCpuMeter(target: DatabaseTarget): Promise<CpuMeter | null> {
  const probe = postgresClient(target, { max: 1, onnotice: () => {} });
  let backend: ProcStat | null;
  try {
    const [row] = await probe<{ pid: number }[]>`select pg_backend_pid() as pid`;
    // Read while the connection is open: its backend exits with it.
    backend = readStat(row!.pid);
  } finally {
    await probe.end({ timeout: 5 });
  }
  if (backend === null || !isPostgres(backend.ppid)) return null;
  const postmaster = backend.ppid;
  return () => {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = readStat(pid);
      if (pid === postmaster) ticks += (stat?.ownTicks ?? 0) + (stat?.reapedChildrenTicks ?? 0);
      else if (stat?.ppid === postmaster) ticks += stat.ownTicks;
    }
    return ticks / TICKS_PER_SECOND;
  };
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}
