// CPU and memory of each service while a run exercises the stack, sampled with
// `docker stats` (one call covers every container; each takes about a second).
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServiceUsage {
  service: string;
  samples: number;
  cpuAvgPercent: number;
  cpuPeakPercent: number;
  memoryPeakBytes: number;
  /** The container's memory limit in bytes as docker stats reports it. */
  memoryLimitBytes: number;
}

const units: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
};

/** "12.5MiB" → bytes. */
export function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([a-z]+)$/i.exec(text.trim());
  if (!match) return 0;
  return Math.round(Number(match[1]) * (units[(match[2] as string).toUpperCase()] ?? 1));
}

export interface StatsSampler {
  /** Stops sampling and returns what it saw, per service. */
  stop(): Promise<ServiceUsage[]>;
}

/** Samples the given containers (id → service) until stop(). */
export function sampleStats(containers: Map<string, string>, intervalMs = 2_000): StatsSampler {
  const seen = new Map<string, { cpu: number[]; memory: number; limit: number }>();
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const { stdout } = await run('docker', [
        'stats',
        '--no-stream',
        '--format',
        '{{.ID}}\t{{.CPUPerc}}\t{{.MemUsage}}',
        ...containers.keys(),
      ]).catch(() => ({ stdout: '' }));
      for (const line of stdout.split('\n').filter(Boolean)) {
        const [id = '', cpu = '', memory = ''] = line.split('\t');
        const service = [...containers].find(([full]) => full.startsWith(id))?.[1];
        if (!service) continue;
        const [used = '', limit = ''] = memory.split('/');
        const entry = seen.get(service) ?? { cpu: [], memory: 0, limit: 0 };
        entry.cpu.push(Number.parseFloat(cpu) || 0);
        entry.memory = Math.max(entry.memory, parseSize(used));
        entry.limit = parseSize(limit);
        seen.set(service, entry);
      }
      await delay(intervalMs);
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      return [...seen].map(([service, entry]) => ({
        service,
        samples: entry.cpu.length,
        cpuAvgPercent: Math.round((entry.cpu.reduce((a, b) => a + b, 0) / entry.cpu.length) * 10) / 10,
        cpuPeakPercent: Math.max(...entry.cpu),
        memoryPeakBytes: entry.memory,
        memoryLimitBytes: entry.limit,
      }));
    },
  };
}
