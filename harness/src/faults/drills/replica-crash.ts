// A backend replica's process dies (SIGKILL, as an out-of-memory kill or a
// crash ends it): its restart policy brings it back, the proxy sends everything
// to the other replica meanwhile, and only what was in flight on it is lost.
import { crashMainProcess } from '../../docker/index.ts';
import { secondsBetween, type Drill, type DrillCheck, type Episode } from '../drill.ts';
import type { RequestSample } from '../../load/index.ts';
import { describeSamples, healthyAgain, pick, snapshot, stayedUp } from './support.ts';

export const replicaCrash: Drill = {
  name: 'replica_crash',
  title: 'a backend replica crashes',
  proves:
    'a crashed replica is restarted and healthy within 30 s; meanwhile the other one serves, and only requests in flight on the crashed one fail',
  slotMs: 45_000,
  // What may fail is told apart by when it was sent, not counted: a request in
  // flight on the replica when it died is lost with it (how many depends on the
  // load: 5 to 13 at 100 users here); one sent after that must not fail
  // (requestChecks below).
  thresholds: ['drill_recovery{drill:replica_crash}=max<30'],
  requestChecks: (requests, episodes) => [onlyInFlightFailed(requests, episodes)],
  async run({ stack, probe, output }, slot) {
    const victim = stack.containerId('backend-1');
    const before = await snapshot({ 'backend-1': victim, 'backend-2': stack.containerId('backend-2') });
    const killedAt = Date.now();
    const { pid } = await crashMainProcess(victim);
    output(`killed backend-1's process (pid ${pid}) with SIGKILL`);
    const healthyAt = await healthyAgain(victim, slot.end, killedAt);
    const after = await snapshot({ 'backend-1': victim, 'backend-2': stack.containerId('backend-2') });
    // The fault began when the process died, as the engine recorded it (the kill
    // is sent from a helper container, some hundreds of ms after it is asked for).
    const died = after['backend-1']?.finishedAt ?? 0;
    const injectedAt = died >= killedAt && died <= (healthyAt ?? slot.end) ? died : killedAt;
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
          detail: `restarted ${restarts} times`,
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

/** A request's sending moment: k6 stamps it when it ends. */
const sentAt = (request: RequestSample) => request.at - request.ms;

/** Only requests in flight when the replica died failed: none sent after it. */
function onlyInFlightFailed(requests: RequestSample[], episodes: Episode[]): DrillCheck {
  const diedAt = episodes[0]?.injectedAt ?? 0;
  const failed = requests.filter((request) => request.failed);
  const late = failed.filter((request) => sentAt(request) > diedAt);
  const groups = [...new Set(late.map((request) => request.group))].join(', ');
  return {
    name: 'only requests in flight on the crashed replica failed',
    ok: late.length === 0,
    detail:
      late.length === 0
        ? `${failed.length} failed, all sent before it died`
        : `${late.length} of ${failed.length} failed requests were sent after it died (${groups})`,
  };
}
