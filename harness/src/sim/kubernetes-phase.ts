// `sim --platform kubernetes`: the rehearsal up on the local cluster (the chart,
// the same image ids), as the Compose up phase brings up its stack.
import { RunFailure } from '../errors/index.ts';
import type { ImageSet } from '../images/index.ts';
import { relative } from 'node:path';
import {
  appChart,
  dataChart,
  dataImages,
  startKubernetesRehearsal,
  type StartedKubernetesRehearsal,
} from '../kubernetes/index.ts';
import { repoRoot } from '../paths.ts';
import type { KubernetesRecord } from '../report/index.ts';
import type { Phase } from '../pipeline/index.ts';
import type { RunSetup } from './setup.ts';
import type { RunningStack } from './stack-phases.ts';

export const kubernetesUpPhase: Phase<
  {
    setup: RunSetup;
    images: ImageSet;
    env: NodeJS.ProcessEnv;
    abort: Promise<never>;
    startupTimeoutMs: number;
  },
  RunningStack
> = {
  name: 'rehearsal up (kubernetes)',
  // It is handed the interrupt: what it started is removed before it rejects.
  stopsOnInterrupt: true,
  async run({ setup, images, env, abort, startupTimeoutMs }, output) {
    const starting = (async () => {
      const data = await dataImages(env);
      return startKubernetesRehearsal({
        images: {
          backend: images.backend,
          frontend: images.frontend,
          postgres: data.postgres,
          redis: data.redis,
        },
        users: data.users,
        namespace: setup.projectName,
        env: setup.stackEnv,
        startupTimeoutMs,
        onLine: output,
      });
    })();
    try {
      const rehearsal = await Promise.race([starting, abort]);
      return { rehearsal, usage: await rehearsal.sampleUsage() };
    } catch (error) {
      // Interrupted: let the start finish, then remove what it made.
      await starting.then((started) => started.down()).catch(() => undefined);
      if (error instanceof RunFailure) throw error;
      throw new RunFailure({
        step: 'rehearsal up',
        message: (error as Error).message,
        hint: 'npm run cluster -- status shows the local cluster; its logs are in /var/lib/todo-rehearsal/cluster/logs',
      });
    }
  },
  detail: ({ rehearsal }) => rehearsal.baseUrl,
};

/** What the report says of a Kubernetes rehearsal. */
export function kubernetesRecord(rehearsal: StartedKubernetesRehearsal): KubernetesRecord {
  return {
    cluster: rehearsal.kube.describe(),
    namespace: rehearsal.namespace,
    charts: [relative(repoRoot, appChart), relative(repoRoot, dataChart)],
    images: Object.fromEntries(
      Object.entries(rehearsal.clusterImages).map(([name, image]) => [
        name,
        { reference: `${image.repository}@${image.digest}`, id: image.id },
      ]),
    ),
    deploySeconds: rehearsal.deploySeconds,
    clusterStartedHere: rehearsal.cluster.startedHere,
  };
}
