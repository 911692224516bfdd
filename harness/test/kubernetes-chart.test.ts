import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appChart, dataChart, localClusterBin } from '../src/kubernetes/index.ts';

const run = promisify(execFile);
const bin = localClusterBin();
const helm = existsSync(join(bin, 'helm')) ? join(bin, 'helm') : undefined;
const kubeconform = existsSync(join(bin, 'kubeconform')) ? join(bin, 'kubeconform') : undefined;
const schemas = join(dirname(bin), 'schemas');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

// What every install must give: where users open the app, images by digest, secrets.
const required = [
  'publicUrl=https://todo.example.com',
  `backend.image.digest=${digest('a')}`,
  `frontend.image.digest=${digest('b')}`,
  'secrets.existingSecret=todo-app',
];
const valuesFiles = [
  'values.yaml',
  'values-rehearsal.yaml',
  'values-minikube.yaml',
  'values-doks.yaml',
  'values-cloud.yaml',
];
const sets = (values: string[]) => values.flatMap((v) => ['--set', v]);

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

async function template(chart: string, file: string, values: string[]): Promise<Manifest[]> {
  const { stdout } = await run(helm ?? 'helm', [
    'template',
    'todo',
    chart,
    '-f',
    join(chart, file),
    ...sets(values),
  ]);
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const skip = helm ? false : `helm is not installed (${bin}); bash scripts/kubernetes.sh builds it`;
// eslint-disable-next-line no-console -- a skipped check says why, where the run\'s output is read
if (skip) console.warn(`skipped: the Helm chart checks: ${skip}`);

describe.skipIf(Boolean(skip))('the Helm charts', () => {
  it.each(valuesFiles)('todo with %s passes helm lint --strict', async (file) => {
    const { stdout } = await run(helm ?? 'helm', [
      'lint',
      '--strict',
      appChart,
      '-f',
      join(appChart, file),
      ...sets(required),
    ]);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('todo-data passes helm lint --strict with its values', async () => {
    for (const file of ['values.yaml', 'values-rehearsal.yaml']) {
      const { stdout } = await run(helm ?? 'helm', [
        'lint',
        '--strict',
        dataChart,
        '-f',
        join(dataChart, file),
        '--set',
        'auth.existingSecret=todo-data',
      ]);
      expect(stdout).toContain('0 chart(s) failed');
    }
  });

  it('runs the images by digest, hardened, with probes, drain and the migration before the replicas', async () => {
    const manifests = await template(appChart, 'values-rehearsal.yaml', required);
    const kinds = manifests.map((m) => m.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment',
        'Service',
        'Ingress',
        'ConfigMap',
        'PodDisruptionBudget',
        'NetworkPolicy',
        'Job',
      ]),
    );
    const text = JSON.stringify(manifests);
    expect(text).toContain(`@${digest('a')}`);
    expect(text).toContain(`@${digest('b')}`);
    const job = manifests.find((m) => m.kind === 'Job');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toContain('pre-install');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toContain('pre-upgrade');
    const backend = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name.endsWith('backend'));
    const spec = JSON.stringify(backend?.spec);
    for (const expected of [
      '"readOnlyRootFilesystem":true',
      '"runAsNonRoot":true',
      '"drop":["ALL"]',
      'RuntimeDefault',
      '"maxUnavailable":0',
      '/ready',
      '/health',
    ]) {
      expect(spec).toContain(expected);
    }
  });

  it('pulls from a private registry with the named secrets, in every pod that runs an image of the app', async () => {
    const manifests = await template(appChart, 'values-cloud.yaml', [
      ...required,
      'imagePullSecrets[0]=ghcr',
    ]);
    const pods = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job');
    expect(pods.map((m) => m.metadata.name).sort()).toEqual([
      'todo-backend',
      'todo-frontend',
      'todo-migration',
    ]);
    for (const pod of pods) {
      const template = pod.spec?.template as { spec: { imagePullSecrets?: { name: string }[] } };
      expect(template.spec.imagePullSecrets, pod.metadata.name).toEqual([{ name: 'ghcr' }]);
    }
  });

  it('refuses a wrong value with the field named', async () => {
    const refused = (values: string[]) =>
      run(helm ?? 'helm', ['template', 'todo', appChart, ...sets([...required, ...values])]).then(
        () => '',
        (error: unknown) => (error as { stderr: string }).stderr,
      );
    expect(await refused(['backend.replicas=two'])).toMatch(/backend\.replicas|replicas/);
    expect(await refused([`backend.image.digest=sha256:nothex`])).toMatch(/digest/);
    const noUrl = await run(helm ?? 'helm', ['template', 'todo', appChart, ...sets(required.slice(1))]).then(
      () => '',
      (error: unknown) => (error as { stderr: string }).stderr,
    );
    expect(noUrl).toMatch(/publicUrl/);
  });

  it.skipIf(!kubeconform || !existsSync(schemas))(
    'is valid Kubernetes 1.34 by its schemas (kubeconform, offline, strict)',
    async () => {
      for (const [chart, file, values] of [
        ...valuesFiles.map((f) => [appChart, f, required] as const),
        [dataChart, 'values-rehearsal.yaml', ['auth.existingSecret=todo-data']] as const,
      ]) {
        const { stdout: rendered } = await run(helm ?? 'helm', [
          'template',
          'todo',
          chart,
          '-f',
          join(chart, file),
          ...sets([...values]),
        ]);
        const child = run(kubeconform ?? 'kubeconform', [
          '-strict',
          '-summary',
          '-kubernetes-version',
          '1.34.0',
          '-schema-location',
          `${schemas}/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json`,
          '-',
        ]);
        child.child.stdin?.end(rendered);
        const { stdout } = await child;
        expect(stdout, `${chart} ${file}`).toMatch(/Invalid: 0, Errors: 0/);
      }
    },
  );
});
