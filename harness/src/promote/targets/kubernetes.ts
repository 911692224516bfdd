// Kubernetes as a promotion target: the chart (deploy/helm/todo) as a Helm
// release in a namespace that holds the app's secrets and data services
// already. A release is a Helm revision; deploying is `helm upgrade --install
// --wait` with both images by digest (the migration runs first, as the chart's
// hook); what serves is what the Ready pods report running (their imageID);
// going back is `helm rollback` to the revision that was live. The whole app is
// one artefact here: the backend and frontend images go out together.
import type { Kube } from '../../kubernetes/index.ts';
import { componentOf, KubeCommandError, listPods } from '../../kubernetes/index.ts';
import {
  DeployFailed,
  pollUntil,
  type DeployProgress,
  type Release,
  type Target,
  type TargetPlan,
} from './target.ts';

/** Both images, each `repository@sha256:…`. */
export interface KubernetesArtefact {
  backend: string;
  frontend: string;
}

export interface KubernetesTargetOptions {
  kube: Kube;
  namespace: string;
  /** The Helm release (todo). */
  release: string;
  chart: string;
  /** Values files, in order (the environment's settings: replicas, ingress, secrets by name). */
  valuesFiles: string[];
  /** Further --set values the environment needs (e.g. the ingress host). */
  set: Record<string, string>;
  /** Where users open the app: the chart's publicUrl and the URL the smoke uses. */
  publicUrl: string;
  deployTimeoutMs: number;
}

interface HistoryEntry {
  revision: number;
  status: string;
  description?: string;
}

interface ImageValues {
  image?: { repository?: string; digest?: string };
}

const digestPart = (imageId: string) => /(sha256:[0-9a-f]{64})$/.exec(imageId)?.[1];

const splitReference = (reference: string, strict = true) => {
  const at = reference.lastIndexOf('@');
  if (at < 0 || (strict && !/^sha256:[0-9a-f]{64}$/.test(reference.slice(at + 1))))
    throw new Error(`${reference}: expected repository@sha256:<64 hex>`);
  return { repository: reference.slice(0, at), digest: reference.slice(at + 1) };
};

/** The digests a Release's artefact names ("backend repo@sha256:…, frontend repo@sha256:…"). */
export const artefactDigests = (artefact: string | undefined): { backend?: string; frontend?: string } => {
  const digest = (side: string) =>
    new RegExp(`${side} [^ ,]*@(sha256:[0-9a-f]{64})`).exec(artefact ?? '')?.[1];
  const backend = digest('backend');
  const frontend = digest('frontend');
  return { ...(backend ? { backend } : {}), ...(frontend ? { frontend } : {}) };
};

export class KubernetesTarget implements Target<KubernetesArtefact> {
  readonly name = 'kubernetes';
  readonly options: KubernetesTargetOptions;

  constructor(options: KubernetesTargetOptions) {
    this.options = options;
  }

  private get scope(): string[] {
    return ['-n', this.options.namespace];
  }

  private get timeout(): string {
    return `${Math.round(this.options.deployTimeoutMs / 1000)}s`;
  }

  private async history(): Promise<HistoryEntry[]> {
    try {
      const out = await this.options.kube.helm([
        'history',
        this.options.release,
        ...this.scope,
        '-o',
        'json',
      ]);
      return (JSON.parse(out) as HistoryEntry[]).sort((a, b) => a.revision - b.revision);
    } catch (error) {
      if (error instanceof KubeCommandError && /release: not found/.test(error.stderr)) return [];
      throw error;
    }
  }

  /** A revision as a Release: its backend and frontend images from the values it was given. */
  private async releaseAt(revision: number): Promise<Release> {
    const values = JSON.parse(
      await this.options.kube.helm([
        'get',
        'values',
        this.options.release,
        ...this.scope,
        '--revision',
        String(revision),
        '-o',
        'json',
      ]),
    ) as { backend?: ImageValues; frontend?: ImageValues; publicUrl?: string };
    const image = (side: ImageValues | undefined) =>
      side?.image?.repository && side.image.digest ? `${side.image.repository}@${side.image.digest}` : '?';
    return {
      id: `${this.options.release} revision ${revision}`,
      artefact: `backend ${image(values.backend)}, frontend ${image(values.frontend)}`,
      url: values.publicUrl ?? this.options.publicUrl,
    };
  }

  /** The revision a Release names. */
  static revisionOf(release: Release): number {
    const revision = Number(/revision (\d+)$/.exec(release.id)?.[1]);
    if (!Number.isInteger(revision)) throw new Error(`${release.id} names no Helm revision`);
    return revision;
  }

  async current(): Promise<Release | undefined> {
    const deployed = (await this.history()).filter((entry) => entry.status === 'deployed').at(-1);
    return deployed ? this.releaseAt(deployed.revision) : undefined;
  }

  private upgradeArgs(artefact: KubernetesArtefact, strict = true): string[] {
    const backend = splitReference(artefact.backend, strict);
    const frontend = splitReference(artefact.frontend, strict);
    const set = {
      ...this.options.set,
      publicUrl: this.options.publicUrl,
      'backend.image.repository': backend.repository,
      'backend.image.digest': backend.digest,
      'frontend.image.repository': frontend.repository,
      'frontend.image.digest': frontend.digest,
    };
    return [
      'upgrade',
      '--install',
      this.options.release,
      this.options.chart,
      ...this.scope,
      ...this.options.valuesFiles.flatMap((file) => ['-f', file]),
      ...Object.entries(set).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
      '--wait',
      '--timeout',
      this.timeout,
    ];
  }

  async deploy(artefact: KubernetesArtefact, progress: DeployProgress): Promise<Release> {
    progress(
      `helm upgrade --install ${this.options.release} in ${this.options.namespace} (--wait ${this.timeout})`,
    );
    try {
      await this.options.kube.helm(this.upgradeArgs(artefact), {
        timeoutMs: this.options.deployTimeoutMs + 60_000,
      });
    } catch (error) {
      const last = (await this.history().catch(() => [])).at(-1);
      throw new DeployFailed(
        `helm upgrade of ${this.options.release} in ${this.options.namespace} failed: ${(error as Error).message}`,
        last?.status ?? 'failed',
        last ? await this.releaseAt(last.revision).catch(() => undefined) : undefined,
      );
    }
    const release = await this.current();
    if (!release) throw new DeployFailed('helm reports no deployed revision after the upgrade', 'unknown');
    progress('waiting until every pod runs the new digests and the old ones have drained');
    const left = await this.settle({
      backend: splitReference(artefact.backend).digest,
      frontend: splitReference(artefact.frontend).digest,
    });
    if (left.length)
      throw new DeployFailed(
        `the rollout did not finish within ${this.timeout}: ${left.join(', ')}`,
        'timed out',
        release,
      );
    return release;
  }

  /**
   * Waits until every backend and frontend pod runs these digests and none is
   * terminating: helm --wait ends once the new pods are Ready, while the old
   * ones may still serve through their drain. What was left when time ran out.
   */
  private async settle(expected: Partial<Record<'backend' | 'frontend', string>>): Promise<string[]> {
    const { value } = await pollUntil(
      async () => {
        const pods = await listPods(this.options.kube, this.options.namespace);
        return pods.flatMap((pod) => {
          const component = componentOf(pod);
          if (component !== 'backend' && component !== 'frontend') return [];
          // A deleted pod whose container has exited turns Succeeded (or Failed): it serves no more.
          if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return [];
          const runs = digestPart(pod.status.containerStatuses?.[0]?.imageID ?? '');
          if (pod.metadata.deletionTimestamp) return [`${pod.metadata.name} terminating`];
          if (!runs) return [`${pod.metadata.name} starting`];
          // A revision whose values name no digest: only the drain is awaited.
          return expected[component] === undefined || runs === expected[component]
            ? []
            : [`${pod.metadata.name} runs ${runs.slice(0, 19)}…`];
        });
      },
      (left) => left.length === 0,
      { timeoutMs: this.options.deployTimeoutMs, everyMs: 1_000 },
    );
    return value;
  }

  /** The digest every Ready pod of a component runs, or a word for what it found instead. */
  async servingImage(component: 'backend' | 'frontend'): Promise<string | undefined> {
    const pods = (await listPods(this.options.kube, this.options.namespace)).filter(
      (pod) =>
        componentOf(pod) === component &&
        !pod.metadata.deletionTimestamp &&
        pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    const digests = new Set(
      pods.map((pod) => digestPart(pod.status.containerStatuses?.[0]?.imageID ?? '') ?? '?'),
    );
    if (digests.size === 0) return undefined;
    if (digests.size > 1) return `mixed: ${[...digests].join(', ')}`;
    return [...digests][0];
  }

  serving(): Promise<string | undefined> {
    return this.servingImage('backend');
  }

  async rollback(to: Release, progress: DeployProgress): Promise<void> {
    const revision = KubernetesTarget.revisionOf(to);
    progress(`helm rollback ${this.options.release} ${revision} in ${this.options.namespace}`);
    await this.options.kube.helm(
      [
        'rollback',
        this.options.release,
        String(revision),
        ...this.scope,
        '--wait',
        '--timeout',
        this.timeout,
      ],
      { timeoutMs: this.options.deployTimeoutMs + 60_000 },
    );
    // helm --wait ends once the restored pods are Ready; the rolled-back ones may still drain.
    progress('waiting until every pod runs the restored digests and the rolled-back ones have drained');
    const left = await this.settle(artefactDigests(to.artefact));
    if (left.length)
      throw new Error(
        `helm rollback to revision ${revision} did not settle within ${this.timeout}: ${left.join(', ')}`,
      );
  }

  plan(artefact: KubernetesArtefact): TargetPlan {
    const where = `${this.options.kube.describe()}, namespace ${this.options.namespace}`;
    return {
      current: [
        `helm history ${this.options.release} -n ${this.options.namespace} (${where}): the last deployed revision`,
        `helm get values ${this.options.release} --revision <it>: the images it runs`,
      ],
      deploy: [
        `helm ${this.upgradeArgs(artefact, false).join(' ')}: the migration job first (the chart's hook), then a rolling update`,
        `helm history ${this.options.release}: the new revision`,
      ],
      serving: [
        `kubectl get pods -n ${this.options.namespace}: the image digests the Ready backend and frontend pods run`,
      ],
      rollback: [
        `helm rollback ${this.options.release} <the revision live before> -n ${this.options.namespace} --wait --timeout ${this.timeout}`,
      ],
    };
  }
}
