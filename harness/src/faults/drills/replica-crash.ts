// A backend replica's process dies (SIGKILL, as an out-of-memory kill or a
// crash ends it): its restart policy brings it back, the proxy sends everything
// to the other replica meanwhile, and only what was in flight on it is lost.
import { crashMainProcess } from '../../docker/index.ts';
import { secondsBetween, type Drill } from '../drill.ts';
import { describeSamples, healthyAgain, pick, snapshot, stayedUp } from './support.ts';

export const replicaCrash: Drill = {
  name: 'replica_crash',
  title: 'a backend replica crashes',
  proves:
    'a crashed replica is restarted and healthy within 30 s; meanwhile the other one serves, and only requests in flight on the crashed one fail',
  slotMs: 45_000,
  thresholds: [
    'drill_recovery{drill:replica_crash}=max<30',
    // In flight on the crashed replica at that moment: a handful at 100 users. A
    // request that had not reached it is sent to the other one.
    'drill_failed{drill:replica_crash}=count<=10',
  ],
  async run({ stack, probe, output }, slot) {
    const victim = stack.containerId('backend-1');
    const before = await snapshot({ 'backend-1': victim, 'backend-2': stack.containerId('backend-2') });
    const injectedAt = Date.now();
    const { pid } = await crashMainProcess(victim);
    output(`killed backend-1's process (pid ${pid}) with SIGKILL`);
    const healthyAt = await healthyAgain(victim, slot.end, injectedAt);
    const after = await snapshot({ 'backend-1': victim, 'backend-2': stack.containerId('backend-2') });
    const seen = probe.between(injectedAt, healthyAt ?? slot.end);
    const restarts = (after['backend-1']?.restartCount ?? 0) - (before['backend-1']?.restartCount ?? 0);
    return {
      episodes: [
        {
          injectedAt,
          clearedAt: healthyAt ?? slot.end,
          recoveredAt: healthyAt,
          recoverySeconds: healthyAt === null ? null : secondsBetween(injectedAt, healthyAt),
        },
      ],
      checks: [
        {
          name: 'the restart policy restarted the crashed replica once',
          ok: restarts === 1,
          detail: `restarted ${restarts} times (exit code ${after['backend-1']?.exitCode ?? '?'} before)`,
        },
        stayedUp('the other replica kept running', pick(before, 'backend-2'), pick(after, 'backend-2')),
        {
          name: 'reads kept succeeding through the other replica',
          ok: seen.every((sample) => sample.status >= 200 && sample.status < 300),
          detail: describeSamples(seen),
        },
      ],
      restarts: { 'backend-1': Math.max(restarts, 1) },
    };
  },
};
