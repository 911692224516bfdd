// The Kubernetes rehearsal's drills (the DOKS plan's): what a cluster does to a
// running app on an ordinary day. A backend pod is deleted (a node drained, an
// eviction) and replaced; a helm upgrade rolls a new image out; a helm rollback
// brings the previous one back. Each under the load, and none may fail a request:
// readiness, the app's drain and maxUnavailable 0 are there for exactly this.
import { sampleOk } from '../probe.ts';
import {
  secondsBetween,
  type BackendPod,
  type Drill,
  type DrillCheck,
  type DrillContext,
  type DrillOutcome,
  type KubernetesDrillStack,
  type ReleaseImage,
} from '../drill.ts';
import { describeSamples, recoveryDeadline } from './support.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function kubernetesOf(context: DrillContext): KubernetesDrillStack {
  const { kubernetes } = context.stack;
  if (!kubernetes) throw new Error('this drill needs the Kubernetes rehearsal (sim --platform kubernetes)');
  return kubernetes;
}

/** When `done` first held of the backend pods (epoch ms), asking every 250 ms until `deadline`; null if never. */
async function podsWhen(
  kubernetes: KubernetesDrillStack,
  done: (pods: BackendPod[]) => boolean,
  deadline: number,
): Promise<{ at: number | null; pods: BackendPod[] }> {
  let pods: BackendPod[] = [];
  for (;;) {
    pods = await kubernetes.backendPods().catch(() => pods);
    if (done(pods)) return { at: Date.now(), pods };
    if (Date.now() > deadline) return { at: null, pods };
    await pause(250);
  }
}

const serving = (pods: BackendPod[]) => pods.filter((pod) => pod.ready && !pod.deleting);
const runs = (pod: BackendPod, image: ReleaseImage) => pod.image.endsWith(`@${image.digest}`);
const describePods = (pods: BackendPod[]) =>
  pods
    .map((pod) => `${pod.name}${pod.ready ? '' : ' (not ready)'}${pod.deleting ? ' (terminating)' : ''}`)
    .join(', ');

function probeCheck(context: DrillContext, from: number, to: number): DrillCheck {
  const seen = context.probe.between(from, to);
  return { name: 'reads kept succeeding', ok: seen.every(sampleOk), detail: describeSamples(seen) };
}

/** The release rolled to `image`: every serving backend runs it, none is left terminating. */
async function rolledTo(
  context: DrillContext,
  image: ReleaseImage,
  change: () => Promise<unknown>,
  slotEnd: number,
): Promise<{ outcome: DrillOutcome; pods: BackendPod[] }> {
  const kubernetes = kubernetesOf(context);
  const before = await kubernetes.backendPods();
  const startedAt = Date.now();
  await change();
  const helmDoneAt = Date.now();
  const { at, pods } = await podsWhen(
    kubernetes,
    (now) =>
      now.length >= before.length && now.every((pod) => pod.ready && !pod.deleting && runs(pod, image)),
    recoveryDeadline(helmDoneAt, slotEnd),
  );
  context.output(`rolled out in ${((at ?? Date.now()) - startedAt) / 1000} s: ${describePods(pods)}`);
  return {
    pods,
    outcome: {
      episodes: [
        {
          injectedAt: startedAt,
          clearedAt: at ?? helmDoneAt,
          recoveredAt: at,
          recoverySeconds: at === null ? null : secondsBetween(startedAt, at),
        },
      ],
      checks: [
        {
          name: `every backend pod runs ${image.digest.slice(0, 19)}…`,
          ok: at !== null,
          detail: describePods(pods),
        },
        probeCheck(context, startedAt, at ?? slotEnd),
      ],
      restarts: {},
    },
  };
}

export const podDelete: Drill = {
  name: 'pod_delete',
  title: 'a backend pod is deleted',
  proves:
    'a deleted backend pod is replaced and Ready within 30 s, and no request fails meanwhile (readiness and the drain move traffic first)',
  slotMs: 45_000,
  thresholds: ['drill_recovery{drill:pod_delete}=max<30', 'drill_failed{drill:pod_delete}=count==0'],
  async run(context, slot) {
    const kubernetes = kubernetesOf(context);
    const before = serving(await kubernetes.backendPods());
    const victim = before[0];
    if (!victim) throw new Error('no serving backend pod to delete');
    const deletedAt = Date.now();
    await kubernetes.deletePod(victim.name);
    context.output(`deleted ${victim.name}`);
    const { at, pods } = await podsWhen(
      kubernetes,
      (now) =>
        serving(now).length >= before.length &&
        serving(now).some((pod) => pod.createdAt >= deletedAt - 1000) &&
        !now.some((pod) => pod.name === victim.name),
      recoveryDeadline(deletedAt, slot.end),
    );
    const replacement = serving(pods).find((pod) => pod.createdAt >= deletedAt - 1000);
    return {
      episodes: [
        {
          injectedAt: deletedAt,
          clearedAt: at ?? slot.end,
          recoveredAt: at,
          recoverySeconds: at === null ? null : secondsBetween(deletedAt, at),
        },
      ],
      checks: [
        {
          name: 'a new pod replaced it and is Ready',
          ok: replacement !== undefined,
          detail: describePods(pods),
        },
        probeCheck(context, deletedAt, at ?? slot.end),
      ],
      restarts: {},
    };
  },
};

export const rollingUpdate: Drill = {
  name: 'rolling_update',
  title: 'helm upgrade rolls a new backend image out',
  proves:
    'a rolling update to a new image under load fails no request (maxUnavailable 0, readiness, the drain) and completes within 2 min',
  slotMs: 90_000,
  thresholds: ['drill_recovery{drill:rolling_update}=max<120', 'drill_failed{drill:rolling_update}=count==0'],
  async run(context, slot) {
    const kubernetes = kubernetesOf(context);
    const next = await kubernetes.nextBackend();
    context.output(`upgrading the backend to ${next.digest.slice(0, 19)}…`);
    const { outcome } = await rolledTo(context, next, () => kubernetes.upgradeBackend(next), slot.end);
    return outcome;
  },
};

export const rollback: Drill = {
  name: 'rollback',
  title: 'helm rollback restores the previous image',
  proves:
    'helm rollback brings the previous digest back under load, fails no request, and completes within 2 min',
  slotMs: 90_000,
  thresholds: ['drill_recovery{drill:rollback}=max<120', 'drill_failed{drill:rollback}=count==0'],
  async run(context, slot) {
    const kubernetes = kubernetesOf(context);
    let revision = await kubernetes.revision();
    // Alone (without rolling_update before it), it first needs something to roll back from.
    if (revision < 2) {
      const next = await kubernetes.nextBackend();
      context.output('nothing to roll back yet: upgrading first');
      revision = await kubernetes.upgradeBackend(next);
    }
    const previous = kubernetes.installedBackend;
    context.output(`rolling back from revision ${revision} to ${revision - 1}`);
    const { outcome } = await rolledTo(context, previous, () => kubernetes.rollback(revision - 1), slot.end);
    return outcome;
  },
};
