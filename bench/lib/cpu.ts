// CPU time by process from /proc (Linux), so a benchmark can say where the cores went even
// when other work shares the machine: the throughput moves with the neighbours, CPU per event
// much less.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | undefined;

function ticks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readStat(pid: number | string): { comm: string; ms: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after comm.
    return { comm, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks() };
  } catch {
    return undefined;
  }
}

export const cpuAvailable = fs.existsSync("/proc/self/stat");

/** User + system CPU milliseconds a process has used so far. */
export function processCpuMs(pid: number | undefined): number {
  return pid === undefined ? 0 : (readStat(pid)?.ms ?? 0);
}

/**
 * CPU milliseconds used so far by the Postgres backends serving one database (their process
 * title names it). Other databases' backends on a shared server are left out; a backend
 * that exits between two snapshots takes its time with it, so keep connections open.
 */
export function backendCpuMs(database: string): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat?.comm !== "postgres") continue;
    let title = "";
    try {
      title = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (title.split(" ").includes(database)) total += stat.ms;
  }
  return total;
}

/** This process's own CPU milliseconds so far. */
export function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface CpuSnapshot {
  server: number;
  postgres: number;
  self: number;
}

export function snapshot(database: string, serverPid?: number): CpuSnapshot {
  return { server: processCpuMs(serverPid), postgres: backendCpuMs(database), self: selfCpuMs() };
}

/** CPU ms per 1,000 events between two snapshots, by process. */
export function perThousand(before: CpuSnapshot, after: CpuSnapshot, events: number): CpuSnapshot {
  const per = (key: keyof CpuSnapshot) => (events > 0 ? ((after[key] - before[key]) * 1000) / events : 0);
  return { server: per("server"), postgres: per("postgres"), self: per("self") };
}
