// The production rehearsal on Kubernetes: the chart (deploy/helm/todo) with the
// rehearsed images by digest, behind the cluster's ingress controller on
// 127.0.0.1, with Postgres and Redis from deploy/helm/todo-data in the same
// namespace. It answers as the Compose rehearsal does (StartedRehearsal), so
// the same scenarios, load, collect, gate and report run against it.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { StartedRehearsal } from '../rehearsal/index.ts';
import { routedFetch, type TrustedFetch } from '../rehearsal/trusted-fetch.ts';
import type { Kube } from './cli.ts';
import { useLocalCluster, type LocalCluster } from './cluster.ts';
import { loadIntoLocalCluster, type ClusterImage } from './images.ts';
import { docker, imageId } from '../docker/index.ts';
import type { KubernetesDrillStack, ReleaseImage } from '../faults/index.ts';
import type { TaskDatabase } from '../load/index.ts';
import {
  componentOf,
  listPods,
  podAsContainer,
  podLogs,
  podTimelines,
  sampleNamespaceUsage,
  serviceName,
} from './pods.ts';
import { appChart, appRelease, dataRelease } from './names.ts';
import { prepareNamespace, removeNamespace, type ImageUsers } from './environment.ts';

export { appChart, appRelease, dataChart, dataRelease } from './names.ts';

/** The images a Kubernetes rehearsal runs, each a local reference and its image id. */
export type KubernetesImages = Record<
  'backend' | 'frontend' | 'postgres' | 'redis',
  { reference: string; id: string }
>;

export interface KubernetesRehearsalOptions {
  images: KubernetesImages;
  /** The namespace: one per run. */
  namespace: string;
  /** Variables for the backend (rate limits, ...), as the chart's config map takes them. */
  env?: Record<string, string>;
  startupTimeoutMs?: number;
  onLine?: (line: string) => void;
}

export interface StartedKubernetesRehearsal extends StartedRehearsal {
  platform: 'kubernetes';
  kube: Kube;
  namespace: string;
  cluster: LocalCluster;
  /** The images as the cluster holds them (repository + manifest digest). */
  clusterImages: Record<string, ClusterImage>;
  /** Seconds from helm's first command to the app answering through the ingress. */
  deploySeconds: number;
  /** helm upgrade of the app release with other values (the drills' rolling update); the revision. */
  upgrade(set: Record<string, string>): Promise<number>;
  /** helm rollback of the app release to a revision. */
  rollback(revision: number): Promise<void>;
}

async function waitForIngress(fetch: TrustedFetch, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const [app, api] = await Promise.all([fetch(`${baseUrl}/`), fetch(`${baseUrl}/api/tasks`)]);
      // The SPA answers 200; the API answers 401 to a request without a session.
      if (app.status === 200 && api.status === 401) return;
      last = `/ answered ${app.status}, /api/tasks ${api.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(500);
  }
  throw new Error(`the app did not answer through the ingress at ${baseUrl} (${last})`);
}

export async function startKubernetesRehearsal(
  options: KubernetesRehearsalOptions & { users: ImageUsers },
): Promise<StartedKubernetesRehearsal> {
  const onLine = options.onLine ?? (() => undefined);
  const cluster = await useLocalCluster(onLine);
  const { kube } = cluster;
  const { namespace } = options;
  const baseUrl = `https://localhost:${cluster.ingressPort}`;
  const remove = () => removeNamespace(kube, namespace, [appRelease, dataRelease]);
  const down = async () => {
    try {
      await remove();
    } finally {
      await cluster.stop();
    }
  };
  try {
    onLine(`loading the images into ${kube.describe()}`);
    // All four before the clock starts (the data images again in prepareNamespace: found, not loaded).
    const appImages = await loadIntoLocalCluster(options.images, onLine);
    const started = performance.now();
    const timeout = `${Math.round((options.startupTimeoutMs ?? 300_000) / 1000)}s`;
    const prepared = await prepareNamespace({
      kube,
      namespace,
      data: { postgres: options.images.postgres, redis: options.images.redis, users: options.users },
      hosts: ['localhost', '127.0.0.1'],
      timeout,
      onLine,
    });
    const clusterImages = { ...appImages, ...prepared.clusterImages };
    const tls = { caCertificate: prepared.caCertificate };
    onLine(`helm install ${appRelease} (migration job, backend, frontend, ingress)`);
    const { backend, frontend } = clusterImages;
    if (!backend || !frontend) throw new Error('the app images were not loaded');
    const config = Object.entries(options.env ?? {}).flatMap(([name, value]) => [
      '--set-string',
      `config.${name}=${value}`,
    ]);
    const appArgs = (extra: string[]) => [
      'upgrade',
      '--install',
      appRelease,
      appChart,
      '-n',
      namespace,
      '-f',
      join(appChart, 'values-rehearsal.yaml'),
      '--set',
      `publicUrl=${baseUrl}`,
      '--set',
      `backend.image.repository=${backend.repository}`,
      '--set',
      `backend.image.digest=${backend.digest}`,
      '--set',
      `frontend.image.repository=${frontend.repository}`,
      '--set',
      `frontend.image.digest=${frontend.digest}`,
      '--set',
      'secrets.existingSecret=todo-app',
      '--set',
      'ingress.tls.secretName=todo-tls',
      ...config,
      ...extra,
      '--wait',
      '--timeout',
      timeout,
    ];
    await kube.helm(appArgs([]));
    const upgradeWith = async (set: Record<string, string>) => {
      await kube.helm(appArgs(Object.entries(set).flatMap(([key, value]) => ['--set', `${key}=${value}`])));
      return currentRevision(kube, namespace);
    };
    const fetch = routedFetch({ ca: tls.caCertificate });
    await waitForIngress(fetch, baseUrl, 60_000);
    const deploySeconds = Math.round((performance.now() - started) / 100) / 10;
    const upPods = await listPods(kube, namespace);
    const baseline = new Map(
      upPods.map((pod) => [pod.metadata.name, pod.status.containerStatuses?.[0]?.restartCount ?? 0]),
    );
    const podsSeen = new Map(upPods.map((pod) => [pod.metadata.name, pod]));
    const remember = async () => {
      for (const pod of await listPods(kube, namespace)) podsSeen.set(pod.metadata.name, pod);
      return [...podsSeen.values()];
    };
    return {
      platform: 'kubernetes',
      kube,
      namespace,
      cluster,
      clusterImages,
      deploySeconds,
      projectName: namespace,
      baseUrl,
      httpUrl: baseUrl,
      caCertificate: tls.caCertificate,
      fetch,
      // Another client on this machine: the same front door from 127.0.0.2.
      fetchFromAnotherAddress: routedFetch({ ca: tls.caCertificate, localAddress: '127.0.0.2' }),
      database: podDatabase(kube, namespace),
      kubernetesDrills: drillStack({
        kube,
        namespace,
        installed: backend,
        backendReference: options.images.backend.reference,
        upgrade: (set) => upgradeWith(set),
        onLine,
      }),
      containerId: (service) =>
        [...podsSeen.values()].find((pod) => serviceName(pod) === service)?.metadata.name ?? service,
      containers: async () => (await remember()).map(podAsContainer),
      timelines: () => podTimelines([...podsSeen.values()], baseline),
      sampleUsage: (intervalMs) => Promise.resolve(sampleNamespaceUsage(kube, namespace, intervalMs)),
      logs: async () => {
        await remember();
        return podLogs(kube, namespace);
      },
      upgrade: upgradeWith,
      rollback: async (revision) => {
        await kube.helm([
          'rollback',
          appRelease,
          String(revision),
          '-n',
          namespace,
          '--wait',
          '--timeout',
          timeout,
        ]);
      },
      down,
      detach: () => Promise.resolve(),
      [Symbol.asyncDispose]: down,
    };
  } catch (error) {
    await down().catch(() => undefined);
    throw error;
  }
}

/** The pods and the release as the Kubernetes drills reach them. */
function drillStack(input: {
  kube: Kube;
  namespace: string;
  installed: ClusterImage;
  backendReference: string;
  upgrade: (set: Record<string, string>) => Promise<number>;
  onLine: (line: string) => void;
}): KubernetesDrillStack {
  const { kube, namespace } = input;
  let next: Promise<ReleaseImage> | undefined;
  const asRelease = (image: ClusterImage): ReleaseImage => ({
    repository: image.repository,
    digest: image.digest,
  });
  return {
    installedBackend: asRelease(input.installed),
    backendPods: async () =>
      (await listPods(kube, namespace))
        .filter((pod) => componentOf(pod) === 'backend')
        .map((pod) => ({
          name: pod.metadata.name,
          ready: pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
          deleting: Boolean(pod.metadata.deletionTimestamp),
          createdAt: Date.parse(pod.metadata.creationTimestamp),
          image: pod.status.containerStatuses?.[0]?.imageID ?? '',
        })),
    deletePod: async (name) => {
      await kube.kubectl(['delete', 'pod', name, '-n', namespace, '--wait=false']);
    },
    nextBackend: () => {
      next ??= (async () => {
        const { reference, id } = await nextRelease(input.backendReference);
        const loaded = await loadIntoLocalCluster({ backend: { reference, id } }, input.onLine);
        const image = loaded.backend;
        if (!image) throw new Error(`${reference} was not loaded into the cluster`);
        return asRelease(image);
      })().catch((error: unknown) => {
        // A failed attempt is not remembered: the next drill tries again.
        next = undefined;
        throw error;
      });
      return next;
    },
    upgradeBackend: (image) =>
      input.upgrade({ 'backend.image.repository': image.repository, 'backend.image.digest': image.digest }),
    rollback: async (revision) => {
      await kube.helm([
        'rollback',
        appRelease,
        String(revision),
        '-n',
        namespace,
        '--wait',
        '--timeout',
        '300s',
      ]);
    },
    revision: () => currentRevision(kube, namespace),
  };
}

/**
 * A second release of the backend: the same image with one more label, so
 * another image id and digest (what a new build is to the cluster), built from
 * the local tag in a second, no build context.
 */
async function nextRelease(reference: string): Promise<{ reference: string; id: string }> {
  const tag = `${reference.replace(/:[^/:]+$/, '')}:rehearsal-next`;
  const dockerfile = `FROM ${reference}\nLABEL org.opencontainers.image.description="the rehearsal's next release of ${reference}"\n`;
  await docker(['build', '--quiet', '--tag', tag, '-'], { stdin: dockerfile });
  const id = await imageId(tag);
  if (!id) throw new Error(`building ${tag} left no image`);
  return { reference: tag, id };
}

/** psql in the data release's Postgres pod, the SQL on stdin (the load's reconciliation). */
function podDatabase(kube: Kube, namespace: string): TaskDatabase {
  const pod = async () => {
    const pods = await listPods(kube, namespace);
    const postgres = pods.find((p) => componentOf(p) === 'postgres' && p.status.phase === 'Running');
    if (!postgres) throw new Error(`no running Postgres pod in namespace ${namespace}`);
    return postgres.metadata.name;
  };
  return {
    where: `namespace ${namespace}`,
    async query(sql) {
      const name = await pod();
      const rows = await kube.kubectl(
        [
          'exec',
          '-i',
          '-n',
          namespace,
          name,
          '--',
          'sh',
          '-c',
          'psql -X -At -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
        ],
        { stdin: sql },
      );
      return rows.split('\n').filter(Boolean);
    },
  };
}

/** The app release's revision now. */
export async function currentRevision(kube: Kube, namespace: string): Promise<number> {
  const history = JSON.parse(await kube.helm(['history', appRelease, '-n', namespace, '-o', 'json'])) as {
    revision: number;
  }[];
  return Math.max(...history.map((h) => h.revision));
}
