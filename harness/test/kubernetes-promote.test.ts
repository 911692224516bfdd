import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigningKeys } from '../src/index.ts';
import {
  appRelease,
  componentOf,
  listPods,
  localClusterLeftovers,
  localClusterRunning,
  localClusterUnavailable,
  localKube,
  namespaceCa,
} from '../src/kubernetes/index.ts';
import { localEnvironmentUrl, type PromotionRecord } from '../src/promote/index.ts';
import { routedFetch } from '../src/rehearsal/trusted-fetch.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli } from './cli.ts';
import { docker } from './docker.ts';
import { buildReleaseB, releaseBReport, type ReleaseB } from './reports.ts';

const unavailable = await localClusterUnavailable();
// eslint-disable-next-line no-console -- a skipped check says why, where the run's output is read
if (unavailable) console.warn(`skipped: promotion to the local Kubernetes cluster: ${unavailable}`);

// Black-box, with no stand-in at all: sim → `npm run cluster -- env production`
// → `npm run promote -- --target kubernetes` on the real local cluster, then a
// release B whose smoke fails and is rolled back by Helm to release A.
describe.skipIf(Boolean(unavailable))('npm run promote -- --target kubernetes', () => {
  let dir: string;
  let report: SimReport;
  let reportPath: string;
  let env: Record<string, string>;
  let releaseB: ReleaseB | undefined;
  const keys = newSigningKeys();
  const kube = localKube();
  const namespace = 'todo-production';
  const url = localEnvironmentUrl('production');

  const promote = (args: string[]) => runCli(['promote', '--target', 'kubernetes', ...args], env);
  const recordOf = async (path: string) =>
    JSON.parse(await readFile(join(path, '..', 'promotion.json'), 'utf8')) as PromotionRecord;
  /** The cluster's own word: the image digests the Ready pods of a component run. */
  const podDigests = async (component: string) =>
    (await listPods(kube, namespace))
      .filter(
        (pod) =>
          componentOf(pod) === component &&
          !pod.metadata.deletionTimestamp &&
          pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .map((pod) => /sha256:[0-9a-f]{64}$/.exec(pod.status.containerStatuses?.[0]?.imageID ?? '')?.[0]);
  const history = async () =>
    (
      JSON.parse(await kube.helm(['history', appRelease, '-n', namespace, '-o', 'json'])) as {
        revision: number;
        status: string;
      }[]
    ).map(({ revision, status }) => ({ revision, status }));
  /** Signs up and reads tasks through the environment's front door, trusting its own CA only. */
  const signUpAndRead = async () => {
    const fetch = routedFetch({
      ca: (await namespaceCa(kube, namespace)) ?? '',
      via: Number(new URL(url).port),
    });
    const email = `k8s-${Date.now()}@example.com`;
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name: 'Check' }),
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const tasks = await fetch(`${url}/api/tasks`, { headers: { cookie } });
    return { signUp: signUp.status, tasks: tasks.status };
  };

  beforeAll(async () => {
    expect(await localClusterRunning(), 'a local cluster is running already: this test starts its own').toBe(
      false,
    );
    dir = await mkdtemp(join(tmpdir(), 'promote-kubernetes-'));
    await writeFile(join(dir, 'gate.pem'), keys.privateKeyPem);
    await writeFile(join(dir, 'gate.pub'), keys.publicKeyPem);
    env = { GATE_PUBLIC_KEY: join(dir, 'gate.pub'), PROMOTE_DEPLOY_TIMEOUT: '4m' };
    const sim = await runCli(['sim', '--profile', 'smoke', '--no-browser', '--json', '--reports-dir', dir], {
      ...relaxedLatency,
      GATE_SIGNING_KEY: join(dir, 'gate.pem'),
    });
    expect(sim.code, sim.stderr).toBe(0);
    report = JSON.parse(sim.stdout) as SimReport;
    reportPath = report.artefacts.json;
    const up = await runCli(['cluster', 'up'], {});
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => {
    const down = await runCli(['cluster', 'down'], {});
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await localClusterLeftovers()).toEqual([]);
    if (releaseB) await docker('rmi', releaseB.reference).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses in one line when the environment is missing or the request is incomplete, touching nothing', async () => {
    const missing = await promote(['--report', reportPath, '--environment', 'staging']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'COULD NOT PROMOTE: namespace todo-staging does not exist on the local cluster (' +
        `${join('/var/lib/todo-rehearsal/cluster', 'pki/admin.kubeconfig')}): npm run cluster -- env staging makes it`,
    );
    const noUrl = await promote(['--report', reportPath, '--kube-context', 'elsewhere']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--url: where users open the app on elsewhere');
    const wrongFlag = await runCli(['promote', '--report', reportPath, '--namespace', 'todo'], env);
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain('--namespace: only with --target kubernetes');
  });

  it('prepares the production environment, plans the release, and ships the rehearsed images by digest: the pods run exactly them and the smoke passes through the ingress', async () => {
    const prepared = await runCli(['cluster', 'env', 'production'], {});
    expect(prepared.code, prepared.stderr).toBe(0);
    expect(prepared.stdout).toContain(`ready: namespace ${namespace}`);

    const plan = await promote(['--report', reportPath, '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/would, helm upgrade: helm upgrade --install todo .* -n todo-production/);
    expect(plan.stdout).toContain('would, on failure, roll back: helm rollback todo');
    await expect(kube.helm(['status', appRelease, '-n', namespace])).rejects.toThrow(/not found/);

    const run = await promote(['--report', reportPath]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PROMOTED to production');
    const record = await recordOf(reportPath);
    expect(record.outcome).toBe('promoted');
    expect(record.serving).toBe('new release');
    expect(record.kubernetes).toMatchObject({ namespace, release: 'todo', images: 'loaded' });
    expect(record.smoke?.ok).toBe(true);
    expect(record.smoke?.scenarios.map((s) => s.name)).toContain('browser flow');
    for (const component of ['backend', 'frontend'] as const) {
      const loaded = record.chain[component]?.pushed ?? '';
      expect(loaded).toMatch(/@sha256:[0-9a-f]{64}$/);
      const digest = loaded.split('@')[1];
      expect(record.chain[component]?.serving).toBe(digest);
      expect(new Set(await podDigests(component))).toEqual(new Set([digest]));
    }
    expect((await podDigests('backend')).length).toBe(2);
    expect(await history()).toEqual([{ revision: 1, status: 'deployed' }]);
    expect(await signUpAndRead()).toEqual({ signUp: 200, tasks: 200 });
  });

  it('a release whose smoke fails is rolled back by Helm to the live revision: the pods run release A again and it still works', async () => {
    releaseB = await buildReleaseB(report, dir);
    const path = await releaseBReport({ report, releaseB, dir, name: 'release-b', key: keys.privateKeyPem });
    const releaseA = (await recordOf(reportPath)).chain.backend?.serving;
    const run = await promote(['--report', path, '--no-browser']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain('ROLLED BACK: the smoke failed against');
    const record = await recordOf(path);
    expect(record.outcome).toBe('rolled back');
    expect(record.rollback?.backend).toBe('back on todo revision 1');
    expect(record.serving).toBe('previous release');
    expect(record.targets.backend?.deployed?.id).toBe('todo revision 2');
    // B ran in the cluster before the rollback; now every backend pod runs A, and none of B's
    // still runs (a deleted pod whose container has exited is Succeeded until the kubelet removes it).
    expect(record.chain.backend?.serving).not.toBe(releaseA);
    expect(new Set(await podDigests('backend'))).toEqual(new Set([releaseA]));
    const draining = (await listPods(kube, namespace)).filter(
      (pod) =>
        componentOf(pod) === 'backend' &&
        pod.metadata.deletionTimestamp &&
        pod.status.phase !== 'Succeeded' &&
        pod.status.phase !== 'Failed',
    );
    expect(draining.map((pod) => `${pod.metadata.name} ${pod.status.phase}`)).toEqual([]);
    expect(await history()).toEqual([
      { revision: 1, status: 'superseded' },
      { revision: 2, status: 'superseded' },
      { revision: 3, status: 'deployed' },
    ]);
    expect(await signUpAndRead()).toEqual({ signUp: 200, tasks: 200 });
  });
});
