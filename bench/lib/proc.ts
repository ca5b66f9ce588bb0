import fs from "node:fs";
import { execFileSync } from "node:child_process";

/** Clock ticks per second, for the CPU times in /proc/<pid>/stat. */
const clockTicks = (() => {
  try {
    return Number.parseInt(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim(), 10) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  ppid: number;
  /** user + system time of the process itself (all its threads), in seconds */
  own: number;
  /** user + system time of its children that have exited and been waited for, in seconds */
  children: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Field 2 (comm) is in parentheses and may contain spaces; count fields after it.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const n = (i: number) => Number(f[i]) / clockTicks;
  return { ppid: Number(f[1]), own: n(11) + n(12), children: n(13) + n(14) };
}

/** CPU seconds (user + system) a process has used so far; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  return readStat(pid)?.own ?? null;
}

/** Summed CPU seconds of several processes (the instances of one server kind). */
export function totalCpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}

/**
 * CPU seconds of a process tree one level deep: the process, its live children and its exited
 * children. Used for the PostgreSQL postmaster, whose backends are its children.
 */
export function treeCpuSeconds(rootPid: number): number | null {
  const root = readStat(rootPid);
  if (!root) return null;
  let sum = root.own + root.children;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s && s.ppid === rootPid) sum += s.own;
  }
  return sum;
}

function statusField(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The largest resident set the process has had (VmHWM), in bytes. */
export const peakRssBytes = (pid: number) => statusField(pid, "VmHWM");
export const rssBytes = (pid: number) => statusField(pid, "VmRSS");

/** The pid of a PostgreSQL cluster's postmaster, from its data directory. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks;
}
