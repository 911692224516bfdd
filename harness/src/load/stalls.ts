// Moments the whole machine stopped during a load: a virtual machine paused
// (snapshotted, migrated) or a host so starved that not even this process ran.
// Every process stops then, the app included, and every request in flight
// takes that much longer; the report says so, so that a threshold crossed by
// it is read as the machine's doing, not the app's. The wall clock is watched,
// not the monotonic one: a paused VM's monotonic clock may not move.

export interface MachineStall {
  /** When the stop began (ISO 8601). */
  at: string;
  seconds: number;
}

export interface StallWatch {
  /** Stops watching (again: nothing more); the stalls seen, oldest first. */
  stop(): MachineStall[];
}

export interface StallOptions {
  /** How often this process looks at the clock. */
  intervalMs?: number;
  /** A gap between two looks longer than this is a stall. */
  thresholdMs?: number;
}

export function watchStalls({ intervalMs = 250, thresholdMs = 2_000 }: StallOptions = {}): StallWatch {
  const stalls: MachineStall[] = [];
  let last = Date.now();
  const look = () => {
    const at = Date.now();
    const gap = at - last;
    if (gap > thresholdMs) {
      stalls.push({ at: new Date(last).toISOString(), seconds: Math.round((gap - intervalMs) / 100) / 10 });
    }
    last = at;
  };
  const timer = setInterval(look, intervalMs);
  timer.unref();
  let watching = true;
  return {
    stop() {
      if (watching) {
        watching = false;
        clearInterval(timer);
        look();
      }
      return stalls;
    },
  };
}

/** One sentence for a report, or undefined when the machine never stopped. */
export function describeStalls(stalls: MachineStall[]): string | undefined {
  if (stalls.length === 0) return undefined;
  const longest = stalls.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const total = Math.round(stalls.reduce((sum, s) => sum + s.seconds, 0) * 10) / 10;
  return (
    `the machine stopped ${stalls.length === 1 ? 'once' : `${stalls.length} times`} during the load ` +
    `(${total} s in all, the longest ${longest.seconds} s at ${longest.at}): every process stopped, the app included ` +
    '(a paused virtual machine, or a host out of CPU), so latencies around then are the machine’s; ' +
    'if a latency threshold failed, run again to tell'
  );
}
