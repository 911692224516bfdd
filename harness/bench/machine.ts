// What the machine itself spends while a benchmark runs: CPU of the processes
// that carry the traffic but are not the app (Docker's daemon, its userland
// port proxy, containerd, the load generator). Linux's /proc; elsewhere unmeasured.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const watched = ['dockerd', 'docker-proxy', 'containerd', 'k6'] as const;
export type MachineProcess = (typeof watched)[number];
const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds so far of each watched process, by pid. */
function readProcesses(): Map<number, { name: MachineProcess; seconds: number }> {
  const found = new Map<number, { name: MachineProcess; seconds: number }>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = watched.find((known) => known === /\(([^)]*)\)/.exec(stat)?.[1]);
      if (!name) continue;
      // After "(name) ": the state, then 10 more fields; utime and stime come next.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.set(Number(entry), { name, seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
    } catch {
      // It ended between the listing and the read.
    }
  }
  return found;
}

export interface MachineCost {
  /** Seconds of wall time measured. */
  seconds: number;
  /** Each process's CPU over that time, in cores (1 = one core busy the whole time). */
  cores: Record<MachineProcess, number>;
}

/**
 * Counts from now, reading every second (so a process that ends, such as k6,
 * still counts); stop() gives each one's CPU since, or undefined off Linux.
 */
export function watchMachine(): { stop(): MachineCost | undefined } {
  if (!existsSync('/proc/self/stat')) return { stop: () => undefined };
  const first = readProcesses();
  const last = new Map(first);
  const poll = () => {
    for (const [pid, seen] of readProcesses()) last.set(pid, seen);
  };
  const timer = setInterval(poll, 1_000);
  const started = performance.now();
  return {
    stop() {
      clearInterval(timer);
      poll();
      const seconds = (performance.now() - started) / 1000;
      const used = Object.fromEntries(watched.map((name) => [name, 0])) as Record<MachineProcess, number>;
      for (const [pid, seen] of last) used[seen.name] += seen.seconds - (first.get(pid)?.seconds ?? 0);
      const cores = Object.fromEntries(
        watched.map((name) => [name, Math.round((used[name] / seconds) * 100) / 100]),
      ) as Record<MachineProcess, number>;
      return { seconds: Math.round(seconds), cores };
    },
  };
}
