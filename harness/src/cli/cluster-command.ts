// npm run cluster -- up|down|status: the local single-node Kubernetes cluster the
// Kubernetes rehearsal runs on, by hand (sim starts and stops it by itself).
import { UsageError } from '../errors/index.ts';
import {
  localClusterLeftovers,
  localClusterRunning,
  localClusterState,
  localClusterUnavailable,
  localIngressPort,
  localKube,
  stopLocalCluster,
  useLocalCluster,
} from '../kubernetes/index.ts';

export const clusterHelp = `npm run cluster -- up|down|status
  up      start the local Kubernetes cluster (root on Linux; bash scripts/kubernetes.sh builds it once)
          and leave it running: sim --platform kubernetes then reuses it
  down    stop it and undo what it changed on this machine (processes, iptables, mounts, cgroups, sysctls)
  status  whether it runs, its pods, and anything a stopped cluster left behind`;

const print = (line: string) => process.stdout.write(`${line}\n`);

export async function clusterCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [action, ...rest] = args;
  if (rest.length) throw new UsageError(`npm run cluster -- ${action ?? ''}: unexpected ${rest.join(' ')}`);
  const unavailable = await localClusterUnavailable(env);
  if (unavailable) throw new UsageError(`the local cluster: ${unavailable}`);
  const kubeconfig = `${localClusterState(env)}/pki/admin.kubeconfig`;
  switch (action) {
    case 'up': {
      await useLocalCluster(print, env);
      print(`running: kubectl --kubeconfig ${kubeconfig} get pods -A`);
      print(`front door: https://localhost:${localIngressPort(env)} (Traefik, on 127.0.0.1 only)`);
      return 0;
    }
    case 'down': {
      await stopLocalCluster(print, env);
      print('stopped; nothing of it is left on this machine');
      return 0;
    }
    case 'status': {
      if (await localClusterRunning(env)) {
        print(`running (kubeconfig ${kubeconfig})`);
        print((await localKube(env).kubectl(['get', 'pods', '-A', '-o', 'wide'])).trimEnd());
        return 0;
      }
      const left = await localClusterLeftovers(env);
      print(
        left.length
          ? `not running, but left behind:\n  ${left.join('\n  ')}\n(npm run cluster -- down removes it)`
          : 'not running',
      );
      return left.length ? 1 : 0;
    }
    default:
      throw new UsageError(`npm run cluster -- ${action ?? ''}: expected up, down or status`);
  }
}
