import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  inspectContainer,
  newSigningKeys,
  projectContainers,
  projectLeftovers,
  signBytes,
  startPlatforms,
  type Platforms,
} from '../src/index.ts';
import type { PromotionRecord } from '../src/promote/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli, startCli } from './cli.ts';
import { docker } from './docker.ts';

// sim → promote against the stand-ins, as a user runs them: every check that
// refuses, a deploy that crashes and a smoke that fails (both roll back, which
// requests to production confirm), an interrupt half-way.
describe('npm run promote', () => {
  let dir: string;
  let platforms: Platforms;
  let reportPath: string;
  let report: SimReport;
  let env: Record<string, string>;
  const keys = newSigningKeys();

  const promote = (args: string[] = [], extra: Record<string, string> = {}) =>
    runCli(['promote', '--report', reportPath, ...args], { ...env, ...extra });
  const recordOf = async (path = reportPath) =>
    JSON.parse(await readFile(join(path, '..', 'promotion.json'), 'utf8')) as PromotionRecord;
  /** A copy of the report, changed, and signed again with `key` (the gate's, unless said). */
  const variant = async (name: string, change: (r: SimReport) => void, key = keys.privateKeyPem) => {
    const copy = structuredClone(report);
    change(copy);
    const path = join(dir, name, 'report.json');
    await rm(join(dir, name), { recursive: true, force: true });
    await mkdir(join(dir, name), { recursive: true });
    const bytes = Buffer.from(`${JSON.stringify(copy, null, 2)}\n`);
    await writeFile(path, bytes);
    await writeFile(`${path}.sig`, signBytes(bytes, key));
    return path;
  };
  /** What production answers, by requests: the app signs people up and keeps their tasks private. */
  const productionWorks = async () => {
    const url = platforms.vercel.productionUrl;
    const page = await fetch(`${url}/`);
    const anonymous = await fetch(`${url}/api/tasks`);
    return {
      page: page.status,
      html: (await page.text()).includes('<div id="root">'),
      tasks: anonymous.status,
    };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promote-'));
    await writeFile(join(dir, 'gate.pem'), keys.privateKeyPem);
    await writeFile(join(dir, 'gate.pub'), keys.publicKeyPem);
    platforms = await startPlatforms();
    env = { ...platforms.env, GATE_PUBLIC_KEY: join(dir, 'gate.pub'), PROMOTE_DEPLOY_TIMEOUT: '2m' };
    const sim = await runCli(['sim', '--profile', 'smoke', '--no-browser', '--json', '--reports-dir', dir], {
      ...relaxedLatency,
      GATE_SIGNING_KEY: join(dir, 'gate.pem'),
    });
    expect(sim.code, sim.stderr).toBe(0);
    report = JSON.parse(sim.stdout) as SimReport;
    reportPath = report.artefacts.json;
    expect(await readFile(`${reportPath}.sig`, 'utf8')).toMatch(/^[A-Za-z0-9+/=]+\n$/);
  });
  afterAll(async () => {
    await platforms.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ships the rehearsed images by digest; the platforms run exactly them and the smoke passes through Vercel', async () => {
    const dry = await promote(['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('serviceInstanceUpdate');
    expect(dry.stdout).toContain('/v13/deployments');

    const run = await promote();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PROMOTED to production');
    const record = await recordOf();
    expect(record).toMatchObject({ outcome: 'promoted', serving: 'new release' });
    expect(record.smoke?.ok).toBe(true);
    // The chain: image id → pushed manifest (whose configuration is that id) → what the platform serves.
    const backend = record.chain.backend;
    expect(backend?.imageId).toBe(report.images.backend?.id);
    expect(backend?.pushed).toMatch(new RegExp(`^${platforms.registry}/todo-backend@sha256:[0-9a-f]{64}$`));
    expect(backend?.serving).toBe(backend?.pushed?.split('@')[1]);
    // Docker's own word about the replicas Railway's stand-in runs: the rehearsed image.
    const runtime = (await projectContainers(platforms.project)).filter(
      (c) => c.service.startsWith('railway-') && c.state === 'running',
    );
    expect(runtime.length).toBe(2);
    for (const replica of runtime)
      expect((await inspectContainer(replica.id)).image).toBe(report.images.backend?.id);
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
    // Exactly the SPA the frontend image serves.
    const served = await (await fetch(`${platforms.vercel.productionUrl}/`)).text();
    expect(served).toContain('<script type="module"');
  });

  it.each([
    [
      'a failed gate',
      'failed-verdict',
      (r: SimReport) => void (r.verdict = 'fail'),
      /the gate did not pass this run/,
    ],
    [
      'a report older than PROMOTE_MAX_AGE',
      'stale',
      (r: SimReport) => void (r.finishedAt = new Date(Date.now() - 30 * 3_600_000).toISOString()),
      /the report is 30\.0 h old, more than PROMOTE_MAX_AGE=24h/,
    ],
    [
      'an image that is not the one rehearsed',
      'other-image',
      (r: SimReport) => {
        if (r.images.proxy) r.images.proxy.id = `sha256:${'0'.repeat(64)}`;
      },
      /proxy: todo-proxy:\S+ is sha256:[0-9a-f]{64} here, the report rehearsed sha256:0{64}/,
    ],
  ])('refuses %s in one line, before touching anything', async (_, name, change, message) => {
    const before = await productionWorks();
    const run = await runCli(['promote', '--report', await variant(name, change)], env);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr.trim()).toMatch(new RegExp(`^REFUSED: ${message.source}`));
    expect(await productionWorks()).toEqual(before);
  });

  it('refuses a report altered by one byte, or signed by another key', async () => {
    const altered = await variant('altered', () => undefined);
    const bytes = await readFile(altered);
    bytes[bytes.indexOf('"pass"') + 1] = 'P'.charCodeAt(0);
    await writeFile(altered, bytes);
    const one = await runCli(['promote', '--report', altered], env);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/REFUSED: .*the signature does not match/);
    const other = await variant('other-key', () => undefined, newSigningKeys().privateKeyPem);
    const two = await runCli(['promote', '--report', other], env);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/signed by another key than GATE_PUBLIC_KEY/);
  });

  it('refuses an image rebuilt since the rehearsal (another id under the same tag)', async () => {
    const { reference = '', id: original = '' } = report.images.backend ?? {};
    const rebuilt = await buildImage('backend', { force: true, revision: 'rebuilt-after-the-rehearsal' });
    expect(rebuilt.tag).toBe(reference);
    expect(rebuilt.id).not.toBe(original);
    try {
      const run = await promote();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /REFUSED: backend: todo-backend:\S+ is sha256:\S+ here, the report rehearsed/,
      );
    } finally {
      // The rehearsed image is still here (the registry's names hold it): its tag goes back to it.
      await docker('tag', original, reference);
    }
  });

  it('stops when the registry serves a manifest other than the one pushed', async () => {
    // A registry in front of the real one that adds a byte to every manifest it serves.
    const upstream = new URL(`http://${platforms.registry}`);
    const liar: Server = createServer((incoming, outgoing) => {
      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          if (!/\/manifests\//.test(incoming.url ?? '') || incoming.method !== 'GET') {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
            return;
          }
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat([...chunks, Buffer.from(' ')]);
            outgoing.writeHead(answer.statusCode ?? 502, {
              ...answer.headers,
              'content-length': String(body.length),
            });
            outgoing.end(body);
          });
        },
      );
      incoming.pipe(proxied);
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(liar.address() as AddressInfo).port}`;
      const run = await promote([], { PROMOTE_REGISTRY: host });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /is said to be sha256:[0-9a-f]{64}, but its manifest's bytes are sha256:[0-9a-f]{64}/,
      );
      expect((await recordOf()).targets.backend).toBeUndefined();
    } finally {
      liar.closeAllConnections();
      await new Promise((resolve) => liar.close(resolve));
    }
  });

  it('rolls back when the platform reports running a digest other than the one deployed', async () => {
    platforms.railway.misreportDigest(`sha256:${'1'.repeat(64)}`);
    try {
      const run = await promote();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ROLLED BACK: railway reports serving sha256:1{64}/);
    } finally {
      platforms.railway.misreportDigest(undefined);
    }
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
  });

  it('keeps the previous release when the new deployment crash-loops', async () => {
    // This deployment's variables make every replica exit at start.
    platforms.railway.setVariables({ RATE_LIMIT_API_MAX: 'lots' });
    try {
      const run = await promote();
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(/railway deployment \S+ ended CRASHED/);
      const record = await recordOf();
      expect(record.outcome).toBe('deploy failed');
      expect(record.serving).toBe('previous release');
      expect(record.targets.backend?.deployed?.id).not.toBe(record.targets.backend?.previous?.id);
      expect(record.targets.frontend?.deployed).toBeNull();
    } finally {
      platforms.railway.setVariables({ RATE_LIMIT_API_MAX: '600' });
    }
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
  });

  it('rolls both platforms back when the smoke fails, and the previous release serves again', async () => {
    // Deploys fine and is healthy, but answers 429 to the smoke's second request: a bad release.
    platforms.railway.setVariables({ RATE_LIMIT_API_MAX: '1' });
    try {
      const run = await promote();
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(/ROLLED BACK: the smoke failed/);
      const record = await recordOf();
      expect(record.rollback).toMatchObject({
        backend: expect.stringMatching(/^back on /),
        frontend: expect.stringMatching(/^back on /),
      });
    } finally {
      platforms.railway.setVariables({ RATE_LIMIT_API_MAX: '600' });
    }
    // By requests: the earlier release (its variables too) serves again, a burst of reads included.
    const url = platforms.vercel.productionUrl;
    const email = `after-rollback-${Date.now()}@example.com`;
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name: 'After' }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${url}/api/tasks`, { headers: { cookie } }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  it('leaves the previous release serving when interrupted half-way, and says so', async () => {
    const run = startCli(['promote', '--report', reportPath], env);
    await run.waitFor(/railway deployment \S+ created/);
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const record = await recordOf();
    expect(record.outcome).toBe('interrupted');
    expect(record.serving).toBe('previous release');
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
  });

  it('deploys the backend to Render instead when asked, and writes its blueprint from the same settings', async () => {
    const run = await promote([], { PROMOTE_BACKEND: 'render' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const record = await recordOf();
    expect(record.targets.backend?.name).toBe('render');
    expect(record.chain.backend?.serving).toBe(record.chain.backend?.pushed?.split('@')[1]);
    const replicas = (await projectContainers(platforms.project)).filter(
      (c) => c.service.startsWith('render-') && c.state === 'running',
    );
    expect(replicas.length).toBe(2);
    for (const replica of replicas)
      expect((await inspectContainer(replica.id)).image).toBe(report.images.backend?.id);
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });

    const blueprint = await runCli([
      'render-blueprint',
      '--promotion',
      join(reportPath, '..', 'promotion.json'),
    ]);
    expect(blueprint.code).toBe(0);
    expect(blueprint.stdout).toContain(`url: ${record.chain.backend?.pushed ?? ''}`);
    expect(blueprint.stdout).toMatch(/healthCheckPath: \/ready\n[\s\S]*numInstances: 2/);
    expect(blueprint.stdout).toContain('preDeployCommand: node dist/migrate.mjs');
    expect(blueprint.stdout).toMatch(/- key: AUTH_SECRET\n\s+sync: false/);
  });

  it('leaves nothing behind when the stand-ins stop: containers, network, volumes, the registry names', async () => {
    await platforms.close();
    expect(await projectLeftovers(platforms.project)).toEqual([]);
    expect((await docker('images', '--format', '{{.Repository}}')).split('\n')).not.toContain(
      `${platforms.registry}/todo-backend`,
    );
  });
});
