// What a namespace needs before the app chart goes in: the data services
// (deploy/helm/todo-data with the base images, on the local cluster), the
// secrets the chart reads by name (todo-data, todo-app) and the ingress's TLS
// Secret (todo-tls, with its CA as ca.crt as cert-manager writes it). The
// rehearsal makes one per run; `npm run cluster -- env` makes a lasting one
// that `npm run promote -- --target kubernetes` ships releases into.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { docker, imageId } from '../docker/index.ts';
import { baseImages } from '../images/index.ts';
import type { Kube } from './cli.ts';
import { loadIntoLocalCluster, type ClusterImage } from './images.ts';
import { dataChart, dataRelease } from './names.ts';
import { makeIngressCertificate } from './tls.ts';

/** The numeric user an image runs its service as (postgres, redis), as the pod's securityContext needs it. */
export interface ImageUsers {
  postgres: { uid: number; gid: number };
  redis: { uid: number; gid: number };
}

/** The Postgres and Redis images this machine built (scripts/base-images.sh), with their users. */
export interface DataImages {
  postgres: { reference: string; id: string };
  redis: { reference: string; id: string };
  users: ImageUsers;
}

/** The numeric user and group an image's named user has (the pod must run as numbers). */
async function imageUser(image: string, user: string): Promise<{ uid: number; gid: number }> {
  const out = await docker([
    'run',
    '--rm',
    '--network',
    'none',
    '--entrypoint',
    'sh',
    image,
    '-c',
    `id -u ${user}; id -g ${user}`,
  ]);
  const [uid, gid] = out.trim().split('\n').map(Number);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`${image} has no user ${user}`);
  return { uid: uid ?? 0, gid: gid ?? 0 };
}

async function localImage(reference: string): Promise<{ reference: string; id: string }> {
  const id = await imageId(reference);
  if (!id)
    throw new Error(`${reference} is not on this machine (scripts/base-images.sh or docker pull makes it)`);
  return { reference, id };
}

export async function dataImages(env: NodeJS.ProcessEnv = process.env): Promise<DataImages> {
  const bases = baseImages(env);
  return {
    postgres: await localImage(bases.POSTGRES_IMAGE),
    redis: await localImage(bases.REDIS_IMAGE),
    users: {
      postgres: await imageUser(bases.POSTGRES_IMAGE, 'postgres'),
      redis: await imageUser(bases.REDIS_IMAGE, 'redis'),
    },
  };
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A Secret as JSON for kubectl apply. */
const secretManifest = (name: string, namespace: string, data: Record<string, string>, type = 'Opaque') =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'todo-rehearsal' } },
    type,
    stringData: data,
  });

export interface PreparedNamespace {
  /** PEM of the CA that signed the ingress's certificate: what clients trust. */
  caCertificate: string;
  /** The data images as the cluster holds them. */
  clusterImages: Record<string, ClusterImage>;
}

/**
 * Makes the namespace ready for the app chart on the local cluster: the data
 * images loaded, the secrets (new passwords), the TLS Secret for `hosts`, and
 * the data release installed and ready. `timeout` is helm's (e.g. 300s).
 */
export async function prepareNamespace(input: {
  kube: Kube;
  namespace: string;
  data: DataImages;
  hosts: string[];
  timeout: string;
  onLine: (line: string) => void;
}): Promise<PreparedNamespace> {
  const { kube, namespace, data, onLine } = input;
  const clusterImages = await loadIntoLocalCluster({ postgres: data.postgres, redis: data.redis }, onLine);
  const tls = await makeIngressCertificate(input.hosts);
  await kube.kubectl(['create', 'namespace', namespace]);
  await kube.kubectl(['label', 'namespace', namespace, 'app.kubernetes.io/part-of=todo-rehearsal']);
  const postgresPassword = secret(24);
  const redisPassword = secret(24);
  const apply = (manifest: string) => kube.kubectl(['apply', '-f', '-'], { stdin: manifest });
  await apply(
    secretManifest('todo-data', namespace, {
      POSTGRES_USER: 'todo',
      POSTGRES_PASSWORD: postgresPassword,
      POSTGRES_DB: 'todo',
      REDIS_PASSWORD: redisPassword,
    }),
  );
  await apply(
    secretManifest('todo-app', namespace, {
      DATABASE_URL: `postgres://todo:${postgresPassword}@postgres:5432/todo`,
      REDIS_URL: `redis://:${redisPassword}@redis:6379`,
      AUTH_SECRET: secret(48),
    }),
  );
  await apply(
    secretManifest(
      'todo-tls',
      namespace,
      { 'tls.crt': tls.certificate, 'tls.key': tls.key, 'ca.crt': tls.caCertificate },
      'kubernetes.io/tls',
    ),
  );
  onLine(`helm install ${dataRelease} (Postgres, Redis) in ${namespace}`);
  const { postgres, redis } = clusterImages;
  if (!postgres || !redis) throw new Error('the data images were not loaded');
  const { users } = data;
  await kube.helm([
    'upgrade',
    '--install',
    dataRelease,
    dataChart,
    '-n',
    namespace,
    '-f',
    join(dataChart, 'values-rehearsal.yaml'),
    '--set',
    `postgres.image.repository=${postgres.repository}`,
    '--set',
    `postgres.image.digest=${postgres.digest}`,
    '--set',
    `postgres.securityContext.runAsUser=${users.postgres.uid}`,
    '--set',
    `postgres.securityContext.runAsGroup=${users.postgres.gid}`,
    '--set',
    `postgres.securityContext.fsGroup=${users.postgres.gid}`,
    '--set',
    `redis.image.repository=${redis.repository}`,
    '--set',
    `redis.image.digest=${redis.digest}`,
    '--set',
    `redis.securityContext.runAsUser=${users.redis.uid}`,
    '--set',
    `redis.securityContext.runAsGroup=${users.redis.gid}`,
    '--set',
    `redis.securityContext.fsGroup=${users.redis.gid}`,
    '--set',
    'auth.existingSecret=todo-data',
    '--wait',
    '--timeout',
    input.timeout,
  ]);
  return { caCertificate: tls.caCertificate, clusterImages };
}

/** Removes the namespace's releases (app first) and the namespace itself. */
export async function removeNamespace(kube: Kube, namespace: string, releases: string[]): Promise<void> {
  for (const release of releases) {
    await kube
      .helm(['uninstall', release, '-n', namespace, '--wait', '--timeout', '60s'])
      .catch(() => undefined);
  }
  await kube
    .kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=90s'])
    .catch(() => undefined);
}

/** The CA (PEM) a namespace's TLS Secret carries as ca.crt, if any (a public CA's certificate has none). */
export async function namespaceCa(
  kube: Kube,
  namespace: string,
  secretName = 'todo-tls',
): Promise<string | undefined> {
  const found = await kube
    .json<{ data?: Record<string, string> }>(['get', 'secret', secretName, '-n', namespace])
    .catch(() => undefined);
  const ca = found?.data?.['ca.crt'];
  return ca ? Buffer.from(ca, 'base64').toString('utf8') : undefined;
}
