// The rehearsed images, into the local cluster's containerd: exactly the image
// ids sim built (docker save → ctr import, no registry), then named by the
// manifest digest containerd gives them, so the chart runs them by digest.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { localClusterState } from './cluster.ts';

export interface ClusterImage {
  /** docker.io/library/todo-backend (what the chart's image.repository takes). */
  repository: string;
  /** sha256:… of the manifest in the cluster (the chart's image.digest). */
  digest: string;
  /** The image id (its configuration's digest): the one the gate report names. */
  id: string;
}

/** todo-backend:abc → docker.io/library/todo-backend:abc, as containerd names it. */
export function normalizedReference(reference: string): string {
  const [first = '', ...rest] = reference.split('/');
  const hasRegistry =
    rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return reference;
  return rest.length ? `docker.io/${reference}` : `docker.io/library/${reference}`;
}

const repositoryOf = (normalized: string): string => normalized.replace(/(@sha256:[a-f0-9]+|:[^/:]+)$/, '');

function ctrArgs(env: NodeJS.ProcessEnv): string[] {
  return [
    '--address',
    join(localClusterState(env), 'run/containerd/containerd.sock'),
    '--namespace',
    'k8s.io',
  ];
}

function ctr(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ctr', [...ctrArgs(env), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else
        reject(
          new Error(
            `ctr ${args.slice(0, 2).join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`,
          ),
        );
    });
  });
}

/** docker save REFERENCE | ctr images import -: the image's layers, unchanged. */
async function importImage(reference: string, env: NodeJS.ProcessEnv): Promise<void> {
  const save = spawn('docker', ['save', reference], { stdio: ['ignore', 'pipe', 'pipe'] });
  const load = spawn('ctr', [...ctrArgs(env), 'images', 'import', '-'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  save.stderr.on('data', (c: Buffer) => errors.push(c.toString()));
  load.stderr.on('data', (c: Buffer) => errors.push(c.toString()));
  save.stdout.pipe(load.stdin);
  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
  // Both must have exited: either may close first.
  const [saved, loaded] = await Promise.all([exited(save), exited(load)]);
  if (saved !== 0 || loaded !== 0) {
    throw new Error(
      `loading ${reference} into the cluster failed (docker save exited ${saved}, ctr import ${loaded}): ${errors.join(' ').trim()}`,
    );
  }
}

interface Manifest {
  mediaType?: string;
  config?: { digest: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

/** The digest containerd holds for a name, and the image id (configuration digest) it leads to. */
async function describe(
  normalized: string,
  env: NodeJS.ProcessEnv,
): Promise<{ digest: string; id: string } | undefined> {
  const listed = await ctr(['images', 'list', `name==${normalized}`], env);
  const digest = listed
    .split('\n')
    .slice(1)
    .map((line) => /\s(sha256:[a-f0-9]{64})\s/.exec(line)?.[1])
    .find(Boolean);
  if (!digest) return undefined;
  let manifest = JSON.parse(await ctr(['content', 'get', digest], env)) as Manifest;
  if (manifest.manifests) {
    // An index: the linux/amd64 (or only) manifest in it.
    const chosen =
      manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
      manifest.manifests[0];
    if (!chosen) return undefined;
    manifest = JSON.parse(await ctr(['content', 'get', chosen.digest], env)) as Manifest;
  }
  if (!manifest.config) return undefined;
  // The reference names the image's own digest (an index's, when it is one), as a pull by digest would.
  return { digest, id: manifest.config.digest };
}

/**
 * Puts each image (local reference → its image id) into the local cluster, once:
 * an image already there with the same id is not loaded again. Refuses when
 * what the cluster holds is not that id.
 */
export async function loadIntoLocalCluster(
  images: Record<string, { reference: string; id: string }>,
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, ClusterImage>> {
  const loaded: Record<string, ClusterImage> = {};
  for (const [name, { reference, id }] of Object.entries(images)) {
    const normalized = normalizedReference(reference);
    let found = await describe(normalized, env);
    if (found?.id !== id) {
      const started = performance.now();
      await importImage(reference, env);
      found = await describe(normalized, env);
      onLine(
        `${name}: loaded ${reference} into the cluster in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    if (!found) throw new Error(`${reference} is not in the cluster after loading it`);
    if (found.id !== id)
      throw new Error(`the cluster holds ${found.id} as ${reference}, not the rehearsed image ${id}`);
    // The kubelet finds an image by digest only under a name@digest reference (a pull
    // records one; an import does not): name it so, as a pull would have.
    await ctr(['images', 'tag', '--force', normalized, `${repositoryOf(normalized)}@${found.digest}`], env);
    loaded[name] = { repository: repositoryOf(normalized), digest: found.digest, id };
  }
  return loaded;
}
