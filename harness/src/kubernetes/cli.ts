// kubectl and helm, pointed at one cluster: the local one (its own kubeconfig and
// the programs scripts/kubernetes.sh built) or the user's (a context of their
// kubeconfig, the programs on PATH).
import { join } from 'node:path';
import { docker, DockerCommandError } from '../docker/index.ts';

export interface KubeTarget {
  /** A kubeconfig file; default: KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** A context of that kubeconfig; default: its current one. */
  context?: string;
  /** Where kubectl and helm are; default: PATH. */
  bin?: string;
}

export interface KubeCommandOptions {
  stdin?: string;
  timeoutMs?: number;
}

export interface Kube {
  target: KubeTarget;
  kubectl(args: string[], options?: KubeCommandOptions): Promise<string>;
  /** kubectl … -o json, parsed. */
  json<T>(args: string[]): Promise<T>;
  helm(args: string[], options?: KubeCommandOptions): Promise<string>;
  /** A one-line description for people: which cluster. */
  describe(): string;
}

/** A kubectl or helm command that failed: the program, the command and its first line of stderr. */
export class KubeCommandError extends Error {
  override name = 'KubeCommandError';
  readonly stderr: string;
  constructor(program: string, args: string[], cause: unknown) {
    const stderr = cause instanceof DockerCommandError ? cause.stderr.trim() : (cause as Error).message;
    const command = args
      .filter((a) => !a.startsWith('--kubeconfig') && !a.startsWith('--kube-context'))
      .slice(0, 3);
    super(`${program} ${command.join(' ')} failed: ${stderr.split('\n').find(Boolean) ?? 'no output'}`, {
      cause,
    });
    this.stderr = stderr;
  }
}

export function kubeTools(target: KubeTarget): Kube {
  const program = (name: string) => (target.bin ? join(target.bin, name) : name);
  const kubectlFlags = [
    ...(target.kubeconfig ? [`--kubeconfig=${target.kubeconfig}`] : []),
    ...(target.context ? [`--context=${target.context}`] : []),
  ];
  const helmFlags = [
    ...(target.kubeconfig ? [`--kubeconfig=${target.kubeconfig}`] : []),
    ...(target.context ? [`--kube-context=${target.context}`] : []),
  ];
  const run = async (name: string, flags: string[], args: string[], options: KubeCommandOptions = {}) => {
    const all = [...flags, ...args];
    try {
      return await docker(all, {
        program: program(name),
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
    } catch (error) {
      throw new KubeCommandError(name, args, error);
    }
  };
  return {
    target,
    kubectl: (args, options) => run('kubectl', kubectlFlags, args, options),
    json: async <T>(args: string[]) =>
      JSON.parse(await run('kubectl', kubectlFlags, [...args, '-o', 'json'])) as T,
    helm: (args, options) => run('helm', helmFlags, args, options),
    describe: () =>
      target.context
        ? `context ${target.context}`
        : target.kubeconfig
          ? `the local cluster (${target.kubeconfig})`
          : 'the current kubeconfig context',
  };
}
