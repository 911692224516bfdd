// Postgres restarts (a managed database's maintenance, a failover): every
// connection is cut. Both replicas stay up, answer 503 DATABASE_UNAVAILABLE
// with Retry-After while it is away, and serve again as soon as it is back,
// without restarting. Three times, since a defect may show only on one of them.
import { restartContainer } from '../../docker/index.ts';
import { secondsBetween, type Drill, type DrillCheck, type Episode } from '../drill.ts';
import { sampleOk } from '../probe.ts';
import { describeSamples, postgresAccepting, recoveryDeadline, snapshot, stayedUp } from './support.ts';

const restarts = 3;

export const postgresRestart: Drill = {
  name: 'postgres_restart',
  title: `Postgres restarts (${restarts} times)`,
  proves:
    'the API survives losing every database connection: no replica restarts, requests answer 503 with Retry-After meanwhile, and the first request after Postgres is back succeeds within 5 s',
  slotMs: restarts * 20_000,
  thresholds: ['drill_recovery{drill:postgres_restart}=max<5'],
  async run({ stack, probe, output }, slot) {
    const postgres = stack.containerId('postgres');
    const replicas = {
      'backend-1': stack.containerId('backend-1'),
      'backend-2': stack.containerId('backend-2'),
    };
    const before = await snapshot(replicas);
    const episodes: Episode[] = [];
    const share = (slot.end - slot.start) / restarts;
    for (let i = 0; i < restarts; i++) {
      const end = slot.start + share * (i + 1);
      const injectedAt = Date.now();
      await restartContainer(postgres, 10);
      const backAt = await postgresAccepting(postgres, end);
      const ok =
        backAt === null ? undefined : await probe.firstOkAfter(backAt, recoveryDeadline(backAt, end));
      const recoveredAt = ok ? Math.max(ok.at, backAt ?? ok.at) : null;
      episodes.push({
        injectedAt,
        clearedAt: backAt ?? end,
        recoveredAt,
        recoverySeconds: recoveredAt === null || backAt === null ? null : secondsBetween(backAt, recoveredAt),
      });
      output(
        `Postgres restart ${i + 1} of ${restarts}: back after ${backAt ? secondsBetween(injectedAt, backAt) : '?'} s`,
      );
      while (Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const after = await snapshot(replicas);
    const during = episodes.flatMap((e) => probe.between(e.injectedAt, e.recoveredAt ?? e.clearedAt));
    const failed = during.filter((sample) => !sampleOk(sample));
    const clean = failed.filter(
      (sample) => sample.status === 503 && sample.code === 'DATABASE_UNAVAILABLE' && sample.retryAfter,
    );
    const checks: DrillCheck[] = [
      stayedUp('both replicas stayed up', before, after),
      {
        name: 'while Postgres was away, requests answered 503 DATABASE_UNAVAILABLE with Retry-After',
        ok: failed.length > 0 && clean.length === failed.length,
        detail: `${describeSamples(during)}; ${clean.length} of them 503 DATABASE_UNAVAILABLE with Retry-After`,
      },
    ];
    return { episodes, checks, restarts: { postgres: restarts } };
  },
};
