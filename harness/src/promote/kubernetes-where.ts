// Where `npm run promote -- --target kubernetes` sends a release: the local
// cluster's environment (its namespace, its front door on 127.0.0.1) or a
// context of the user's kubeconfig with a registry to pull from; refused in one
// line when it cannot go there.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  appChart,
  appRelease,
  kubeTools,
  localClusterRunning,
  localIngressPort,
  localKube,
  namespaceCa,
  type Kube,
} from '../kubernetes/index.ts';
import { routedFetch } from '../rehearsal/trusted-fetch.ts';
import { RegistryClient } from '../registry/index.ts';
import { deployTimeout, PromotionMisconfigured } from './config.ts';
import type { PromoteOptions } from './run.ts';
import type { PromoteFetch } from './serving.ts';
import { KubernetesTarget, type Environment } from './targets/index.ts';

export interface KubernetesPromoteOptions extends PromoteOptions {
  /** A context of the kubeconfig (KUBECONFIG or ~/.kube/config); none: the local cluster. */
  kubeContext?: string | undefined;
  /** The namespace; default todo-<environment>. */
  namespace?: string | undefined;
  /** Values files for the chart (the environment's); default on the local cluster: values-rehearsal.yaml. */
  values: string[];
  /** Where users open the app; required for a cluster other than the local one. */
  url?: string | undefined;
}

/**
 * The local cluster's environments: each its own namespace and its own front
 * door on 127.0.0.1 (a Traefik entry point, the port after the rehearsal's for
 * production, the next for staging), so neither meets the rehearsal's Ingress.
 */
export const localEnvironmentPort = (
  environment: Environment,
  env: NodeJS.ProcessEnv = process.env,
): number => localIngressPort(env) + (environment === 'production' ? 1 : 2);
export const localEnvironmentUrl = (environment: Environment, env: NodeJS.ProcessEnv = process.env): string =>
  `https://localhost:${localEnvironmentPort(environment, env)}`;
export const localEnvironmentNamespace = (environment: Environment): string => `todo-${environment}`;

export interface Where {
  kube: Kube;
  local: boolean;
  namespace: string;
  target: KubernetesTarget;
  url: string;
  fetch: PromoteFetch;
  registry?: { name: string; client: RegistryClient };
}

/** Where the release goes, refused in one line when it cannot go there. */
export async function resolveWhere(options: KubernetesPromoteOptions): Promise<Where> {
  const { env, environment } = options;
  const deployTimeoutMs = deployTimeout(env);
  for (const file of options.values) {
    if (!existsSync(file)) throw new PromotionMisconfigured(`--values ${file}: no such file`);
  }
  const local = !options.kubeContext;
  const namespace = options.namespace ?? localEnvironmentNamespace(environment);
  if (local) {
    if (!(await localClusterRunning(env))) {
      throw new PromotionMisconfigured(
        `the local cluster is not running: npm run cluster -- up, then npm run cluster -- env ${environment} (or give --kube-context for another cluster)`,
      );
    }
    const kube = localKube(env);
    await needNamespace(kube, namespace, `npm run cluster -- env ${environment} makes it`);
    const port = localEnvironmentPort(environment, env);
    const url = options.url ?? localEnvironmentUrl(environment, env);
    const ca = await namespaceCa(kube, namespace);
    return {
      kube,
      local,
      namespace,
      url,
      // The front door is Traefik on 127.0.0.1 (localhost may resolve to ::1 first).
      fetch: routedFetch({ via: port, ...(ca ? { ca } : {}) }),
      target: new KubernetesTarget({
        kube,
        namespace,
        release: appRelease,
        chart: appChart,
        valuesFiles: options.values.length ? options.values : [join(appChart, 'values-rehearsal.yaml')],
        set: {
          'secrets.existingSecret': 'todo-app',
          'ingress.tls.secretName': 'todo-tls',
          'ingress.annotations.traefik\\.ingress\\.kubernetes\\.io/router\\.entrypoints': environment,
        },
        publicUrl: url,
        deployTimeoutMs,
      }),
    };
  }
  if (!options.url)
    throw new PromotionMisconfigured(
      `--url: where users open the app on ${options.kubeContext} (the chart's publicUrl, e.g. https://todo.example.com)`,
    );
  if (!env.PROMOTE_REGISTRY)
    throw new PromotionMisconfigured(
      `set PROMOTE_REGISTRY (where the images are pushed, e.g. ghcr.io/acme): ${options.kubeContext} pulls them from there`,
    );
  const kube = kubeTools({
    context: options.kubeContext,
    ...(env.KUBECONFIG ? { kubeconfig: env.KUBECONFIG } : {}),
  });
  await needNamespace(
    kube,
    namespace,
    `kubectl create namespace ${namespace}, with the Secret your values name`,
  );
  const ca = await namespaceCa(kube, namespace);
  const registry = env.PROMOTE_REGISTRY;
  return {
    kube,
    local,
    namespace,
    url: options.url,
    fetch: ca ? routedFetch({ ca }) : (input, init) => fetch(input, init),
    registry: {
      name: registry,
      client: new RegistryClient(
        registry.split('/')[0] ?? registry,
        env.PROMOTE_REGISTRY_USER && env.PROMOTE_REGISTRY_PASSWORD
          ? { username: env.PROMOTE_REGISTRY_USER, password: env.PROMOTE_REGISTRY_PASSWORD }
          : undefined,
      ),
    },
    target: new KubernetesTarget({
      kube,
      namespace,
      release: appRelease,
      chart: appChart,
      valuesFiles: options.values,
      set: {},
      publicUrl: options.url,
      deployTimeoutMs,
    }),
  };
}

async function needNamespace(kube: Kube, namespace: string, fix: string): Promise<void> {
  const found = await kube
    .kubectl(['get', 'namespace', namespace, '-o', 'name'])
    .then(() => true)
    .catch((error: unknown) => {
      if (/not ?found/i.test((error as Error).message)) return false;
      throw new PromotionMisconfigured(`${kube.describe()} did not answer: ${(error as Error).message}`);
    });
  if (!found)
    throw new PromotionMisconfigured(`namespace ${namespace} does not exist on ${kube.describe()}: ${fix}`);
}
