// What several drills wait for and check.
import { execIn, inspectContainer, type ServiceContainer } from '../../docker/index.ts';
import { sampleOk, type ProbeSample, type ProbeUser } from '../probe.ts';
import type { DrillCheck } from '../drill.ts';

/**
 * How long to wait for the app to be well again once a fault is gone: to the
 * end of the drill's slot, and never less than 20 s (a drill's own steps may
 * have used up its slot on a busy machine).
 */
export const recoveryDeadline = (clearedAt: number, slotEnd: number): number =>
  Math.max(slotEnd, clearedAt + 20_000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When `ready` first said yes (epoch ms), asking every 200 ms until `deadline`; null if never. */
async function whenReady(ready: () => Promise<boolean>, deadline: number): Promise<number | null> {
  for (;;) {
    if (await ready()) return Date.now();
    if (Date.now() > deadline) return null;
    await pause(200);
  }
}

/** When the container was running and healthy again (epoch ms), polling until `deadline`; null if never. */
export const healthyAgain = (id: string, deadline: number, after = 0): Promise<number | null> =>
  whenReady(async () => {
    const container = await inspectContainer(id).catch(() => undefined);
    return container?.state === 'running' && container.health === 'healthy' && container.startedAt >= after;
  }, deadline);

/** When Postgres in this container accepted connections again (epoch ms), polling until `deadline`; null if never. */
export const postgresAccepting = (id: string, deadline: number): Promise<number | null> =>
  whenReady(
    () =>
      execIn(id, ['pg_isready', '-q', '-h', '127.0.0.1']).then(
        () => true,
        () => false,
      ),
    deadline,
  );

/** The containers of these services as they are now, by service. */
export async function snapshot(ids: Record<string, string>): Promise<Record<string, ServiceContainer>> {
  const entries = await Promise.all(
    Object.entries(ids).map(async ([service, id]) => [service, await inspectContainer(id)] as const),
  );
  return Object.fromEntries(entries);
}

/** One service of a snapshot, as a snapshot of its own. */
export const pick = (
  snap: Record<string, ServiceContainer>,
  service: string,
): Record<string, ServiceContainer> => {
  const container = snap[service];
  return container ? { [service]: container } : {};
};

/** A check that these services were not restarted between two snapshots. */
export function stayedUp(
  name: string,
  before: Record<string, ServiceContainer>,
  after: Record<string, ServiceContainer>,
): DrillCheck {
  const restarted = Object.keys(before).filter(
    (service) =>
      before[service]?.startedAt !== after[service]?.startedAt ||
      before[service]?.restartCount !== after[service]?.restartCount ||
      after[service]?.state !== 'running',
  );
  return {
    name,
    ok: restarted.length === 0,
    detail: restarted.length
      ? `restarted or down: ${restarted.join(', ')}`
      : `${Object.keys(before).join(', ')} kept running`,
  };
}

/** "3 of 40 failed: 503 ×3" — what a list of answers was, for a check's detail. */
export function describeSamples(samples: ProbeSample[]): string {
  const failed = samples.filter((sample) => !sampleOk(sample));
  const kinds = new Map<string, number>();
  for (const sample of failed) {
    const kind = `${sample.status || 'no answer'}${sample.code ? ` ${sample.code}` : ''}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const listed = [...kinds].map(([kind, count]) => `${kind} ×${count}`).join(', ');
  return `${failed.length} of ${samples.length} failed${listed ? `: ${listed}` : ''}`;
}

/** The statuses of `count` requests in a row as `user` (both replicas answer some). */
export async function statusesOf(user: ProbeUser, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await user.request('GET', '/api/tasks?limit=1')).status);
  return statuses;
}
