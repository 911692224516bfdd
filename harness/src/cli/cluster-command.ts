// npm run cluster -- up|down|status: the local single-node Kubernetes cluster the
// Kubernetes rehearsal runs on, by hand (sim starts and stops it by itself).
import { UsageError } from '../errors/index.ts';
import {
  appRelease,
  dataImages,
  dataRelease,
  localClusterLeftovers,
  localClusterRunning,
  localClusterState,
  localClusterUnavailable,
  localIngressPort,
  localKube,
  prepareNamespace,
  removeNamespace,
  stopLocalCluster,
  useLocalCluster,
} from '../kubernetes/index.ts';
import {
  environments,
  localEnvironmentPort,
  localEnvironmentUrl,
  localEnvironmentNamespace,
  type Environment,
} from '../promote/index.ts';

export const clusterHelp = `npm run cluster -- up|down|status|env
  up      start the local Kubernetes cluster (root on Linux; bash scripts/kubernetes.sh builds it once)
          and leave it running: sim --platform kubernetes then reuses it
  down    stop it and undo what it changed on this machine (processes, iptables, mounts, cgroups, sysctls);
          its environments go with it
  status  whether it runs, its pods, and anything a stopped cluster left behind
  env production|staging [--remove]
          an environment on the running cluster for npm run promote -- --target kubernetes:
          namespace todo-<name>, Postgres and Redis (deploy/helm/todo-data), the app's secrets,
          TLS; it answers on https://localhost:${localEnvironmentPort('production')} (staging: :${localEnvironmentPort('staging')}); --remove deletes it`;

const print = (line: string) => process.stdout.write(`${line}\n`);

async function environmentCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...flags] = args;
  if (!environments.includes(name as Environment))
    throw new UsageError(`npm run cluster -- env ${name ?? ''}: expected ${environments.join(' or ')}`);
  const remove = flags.includes('--remove');
  const unknown = flags.filter((flag) => flag !== '--remove');
  if (unknown.length) throw new UsageError(`npm run cluster -- env ${name}: unexpected ${unknown.join(' ')}`);
  if (!(await localClusterRunning(env)))
    throw new UsageError('the local cluster is not running: npm run cluster -- up first');
  const environment = name as Environment;
  const kube = localKube(env);
  const namespace = localEnvironmentNamespace(environment);
  const exists = await kube
    .kubectl(['get', 'namespace', namespace, '-o', 'name'])
    .then(() => true)
    .catch(() => false);
  if (remove) {
    await removeNamespace(kube, namespace, [appRelease, dataRelease]);
    print(exists ? `removed ${namespace}` : `${namespace} was not there`);
    return 0;
  }
  const url = localEnvironmentUrl(environment, env);
  if (!exists) {
    await prepareNamespace({
      kube,
      namespace,
      data: await dataImages(env),
      hosts: ['localhost', '127.0.0.1'],
      timeout: '300s',
      onLine: print,
    });
  }
  print(
    `${exists ? 'already there' : 'ready'}: namespace ${namespace} (Postgres, Redis, secrets todo-app and todo-tls)\n` +
      `next: npm run promote -- --target kubernetes --report <report.json>${environment === 'staging' ? ' --environment staging' : ''}\n` +
      `then: ${url} (the CA is ca.crt of the Secret todo-tls; browsers need it trusted or a warning accepted)`,
  );
  return 0;
}

export async function clusterCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [action, ...rest] = args;
  const unavailableNow = await localClusterUnavailable(env);
  if (action === 'env') {
    if (unavailableNow) throw new UsageError(`the local cluster: ${unavailableNow}`);
    return environmentCommand(rest, env);
  }
  if (rest.length) throw new UsageError(`npm run cluster -- ${action ?? ''}: unexpected ${rest.join(' ')}`);
  if (unavailableNow) throw new UsageError(`the local cluster: ${unavailableNow}`);
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
      throw new UsageError(`npm run cluster -- ${action ?? ''}: expected up, down, status or env`);
  }
}
