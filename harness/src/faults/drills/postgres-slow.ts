// Postgres turns slow for 30 s: starved of CPU (a tenth of its limit), as on
// a crowded host or a burstable instance out of credits, every query waits its
// turn. Latency degrades; nothing waits past the query timeout; it is fast
// again as soon as Postgres is. (The kernels of many machines, this project's
// CI among them, have no netem to delay packets instead.)
import { cpuLimit, setCpuLimit } from '../../docker/index.ts';
import { secondsBetween, type Drill } from '../drill.ts';
import { sampleOk, type ProbeSample } from '../probe.ts';
import { describeSamples, recoveryDeadline } from './support.ts';

const slowMs = 30_000;
/** Of its usual CPU limit. */
const share = 0.1;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const postgresSlow: Drill = {
  name: 'postgres_slow',
  title: `Postgres slow for 30 s (${share * 100}% of its CPU)`,
  proves:
    'a slow database slows requests down but does not hold them: none waits past the query timeout (6 s), and latency is back to normal as soon as the database is',
  slotMs: slowMs + 15_000,
  thresholds: [
    'drill_recovery{drill:postgres_slow}=max<5',
    'drill_req_duration{drill:postgres_slow}=max<7000',
  ],
  async run({ stack, probe, until, output }, slot) {
    const postgres = stack.containerId('postgres');
    const usual = await cpuLimit(postgres);
    const before = probe.between(Date.now() - 10_000, Date.now()).filter(sampleOk);
    const normalMs = median(before.map((sample) => sample.ms));
    const injectedAt = Date.now();
    await setCpuLimit(postgres, (usual || 1) * share);
    output(`Postgres limited to ${(usual || 1) * share} CPU`);
    try {
      await until(injectedAt + slowMs);
    } finally {
      await setCpuLimit(postgres, usual || 1);
    }
    const clearedAt = Date.now();
    const during = probe.between(injectedAt, clearedAt);
    // Normal again: an answer about as fast as before the drill.
    const fast = (sample: ProbeSample) =>
      sampleOk(sample) && sample.ms <= Math.max(3 * normalMs, normalMs + 50);
    const ok = await probe.firstOkAfter(clearedAt, recoveryDeadline(clearedAt, slot.end), fast);
    const recoveredAt = ok?.at ?? null;
    const slowest = Math.max(0, ...during.map((sample) => sample.ms));
    return {
      episodes: [
        {
          injectedAt,
          clearedAt,
          recoveredAt,
          recoverySeconds: recoveredAt === null ? null : secondsBetween(clearedAt, recoveredAt),
        },
      ],
      checks: [
        {
          name: 'the drill user waited no longer than the query timeout',
          ok: slowest < 7_000,
          detail: `slowest answer ${slowest} ms (median ${median(during.map((s) => s.ms))} ms, ${normalMs} ms before); ${describeSamples(during)}`,
        },
      ],
      restarts: {},
    };
  },
};
