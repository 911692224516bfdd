// Which Kubernetes cluster a run uses: the local single-node cluster this
// machine can start (deploy/kubernetes/local-cluster, root on Linux, built by
// scripts/kubernetes.sh), or the user's own through a kubeconfig context.
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerStreaming } from '../docker/index.ts';
import { repoRoot } from '../paths.ts';
import { kubeTools, type Kube } from './cli.ts';

const scripts = join(repoRoot, 'deploy/kubernetes/local-cluster');

/** Where scripts/kubernetes.sh caches the cluster's programs (KUBE_BIN overrides). */
export const localClusterBin = (env: NodeJS.ProcessEnv = process.env): string =>
  env.KUBE_BIN ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'todo-rehearsal/kubernetes/bin');

/** The local cluster's state folder (KUBE_STATE overrides): its kubeconfig is pki/admin.kubeconfig. */
export const localClusterState = (env: NodeJS.ProcessEnv = process.env): string =>
  env.KUBE_STATE ?? '/var/lib/todo-rehearsal/cluster';

/** The port of the local cluster's front door (Traefik) on 127.0.0.1. */
export const localIngressPort = (env: NodeJS.ProcessEnv = process.env): number =>
  Number(env.INGRESS_PORT ?? 18443);

const programs = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-proxy',
  'kubectl',
  'helm',
];

/** Why this machine cannot run the local cluster, or undefined when it can. */
export async function localClusterUnavailable(
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (process.platform !== 'linux')
    return `the local cluster runs on Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'the local cluster needs root (it runs its own containerd and changes iptables)';
  const bin = localClusterBin(env);
  for (const program of programs) {
    try {
      await access(join(bin, program), constants.X_OK);
    } catch {
      return `${join(bin, program)} is missing: run bash scripts/kubernetes.sh (about 20 min the first time)`;
    }
  }
  return undefined;
}

export interface LocalCluster {
  kube: Kube;
  /** Started by this run (and stopped by stop()), or found running and left so. */
  startedHere: boolean;
  ingressPort: number;
  /** Stops the cluster when this run started it. */
  stop(): Promise<void>;
}

function script(name: string, onLine: (line: string) => void, env: NodeJS.ProcessEnv): Promise<number> {
  return dockerStreaming([join(scripts, name)], { program: 'bash', onLine, env });
}

/** Whether the local cluster answers now. */
export async function localClusterRunning(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const kube = localKube(env);
  return kube
    .kubectl(['get', '--raw', '/readyz'], { timeoutMs: 5_000 })
    .then(() => true)
    .catch(() => false);
}

export const localKube = (env: NodeJS.ProcessEnv = process.env): Kube =>
  kubeTools({
    kubeconfig: join(localClusterState(env), 'pki/admin.kubeconfig'),
    bin: localClusterBin(env),
  });

/**
 * The local cluster, running: reused when it answers already (left running
 * afterwards), else started (about 10 s once built) and stopped by stop().
 */
export async function useLocalCluster(
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalCluster> {
  const unavailable = await localClusterUnavailable(env);
  if (unavailable) throw new Error(unavailable);
  const kube = localKube(env);
  const ingressPort = localIngressPort(env);
  if (await localClusterRunning(env)) {
    return { kube, startedHere: false, ingressPort, stop: () => Promise.resolve() };
  }
  const lines: string[] = [];
  const record = (line: string) => {
    lines.push(line);
    onLine(line);
  };
  const code = await script('up.sh', record, env);
  if (code !== 0) {
    await stopLocalCluster(onLine, env).catch(() => undefined);
    throw new Error(
      `the local cluster did not start: ${lines.filter((l) => l.startsWith('[cluster]')).at(-1) ?? `up.sh exited ${code}`}`,
    );
  }
  return { kube, startedHere: true, ingressPort, stop: () => stopLocalCluster(onLine, env) };
}

/** Stops the local cluster and checks nothing of it is left on the host. */
export async function stopLocalCluster(
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await script('down.sh', onLine, env);
  const left = await localClusterLeftovers(env);
  if (left.length) throw new Error(`the local cluster left ${left.join('; ')}`);
}

/** What the local cluster left on the host (processes, bridge, iptables chains, mounts, cgroups, sysctls). */
export async function localClusterLeftovers(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const left: string[] = [];
  await script('check.sh', (line) => left.push(line), env);
  return left;
}
