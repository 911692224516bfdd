// What the backend stand-ins do with a deployment, the way the platforms do:
// pull the image by digest, run the pre-deploy command once, start the
// replicas with the variables, and wait until every one answers 200 on the
// health check path. The caller switches its edge only on `live`.
import { inspectImage, pullImage } from '../docker/index.ts';
import type { Replica, Runtime } from './runtime.ts';

export interface DeploySpec {
  image: string;
  env: Record<string, string>;
  /** Command lines, each run with sh -c before the replicas start. */
  preDeploy: string[];
  /** What the replicas run instead of the image's CMD (sh -c, exec'd so signals reach it). */
  startCommand?: string;
  replicas: number;
  healthPath: string;
  healthTimeoutSeconds: number;
  /** Names the containers, e.g. railway-1a2b3c4d. */
  label: string;
}

export type Outcome =
  | { state: 'live'; replicas: Replica[]; pulled: string }
  | { state: 'failed' | 'crashed' | 'pre_deploy_failed'; reason: string; pulled?: string };

async function waitHealthy(
  replicas: Replica[],
  path: string,
  timeoutSeconds: number,
): Promise<'healthy' | 'crashed' | 'timeout'> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const states = await Promise.all(
      replicas.map(async (replica) => {
        if (!(await replica.running())) return 'crashed';
        const ok = await fetch(`${replica.url}${path}`, { signal: AbortSignal.timeout(2_000) }).then(
          (reply) => reply.status === 200,
          () => false,
        );
        return ok ? 'healthy' : 'waiting';
      }),
    );
    if (states.includes('crashed')) return 'crashed';
    if (states.every((state) => state === 'healthy')) return 'healthy';
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 'timeout';
}

export async function bringUp(runtime: Runtime, spec: DeploySpec): Promise<Outcome> {
  let pulled: string | undefined;
  const replicas: Replica[] = [];
  try {
    // An image source skips the build: it is pulled by its digest, exactly as given.
    await pullImage(spec.image);
    const repository = spec.image.split('@')[0] ?? '';
    pulled =
      (await inspectImage(spec.image))?.repoDigests.find((d) => d.startsWith(`${repository}@`)) ?? spec.image;
    for (const command of spec.preDeploy) {
      const { exitCode, log } = await runtime.runOnce(spec.image, ['sh', '-c', command], spec.env);
      if (exitCode !== 0) {
        const last = log.trim().split('\n').at(-1) ?? '';
        return {
          state: 'pre_deploy_failed',
          reason: `pre-deploy command "${command}" exited ${exitCode}: ${last}`,
          pulled,
        };
      }
    }
    for (let i = 0; i < spec.replicas; i += 1) {
      replicas.push(
        await runtime.startReplica(
          spec.image,
          spec.env,
          Number(spec.env.PORT ?? 3000),
          `${spec.label}-${i + 1}`,
          spec.startCommand,
        ),
      );
    }
    const health = await waitHealthy(replicas, spec.healthPath, spec.healthTimeoutSeconds);
    if (health === 'healthy') return { state: 'live', replicas, pulled };
    await Promise.all(replicas.map((r) => r.stop()));
    return health === 'crashed'
      ? { state: 'crashed', reason: 'a replica exited before it was healthy', pulled }
      : {
          state: 'failed',
          reason: `${spec.healthPath} did not answer 200 within ${spec.healthTimeoutSeconds} s`,
          pulled,
        };
  } catch (error) {
    await Promise.all(replicas.map((r) => r.stop().catch(() => undefined)));
    return { state: 'failed', reason: (error as Error).message, ...(pulled ? { pulled } : {}) };
  }
}

/** sha256:… of a `repo@sha256:…` reference. */
export const digestOf = (reference: string | undefined): string | undefined =>
  /@(sha256:[0-9a-f]{64})$/.exec(reference ?? '')?.[1];
