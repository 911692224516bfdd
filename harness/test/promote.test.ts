import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  inspectContainer,
  newSigningKeys,
  projectContainers,
  projectLeftovers,
  startPlatforms,
  type Platforms,
} from '../src/index.ts';
import {
  RailwayTarget,
  railwaySettings,
  RenderTarget,
  VercelTarget,
  type Environment,
  type PromotionRecord,
} from '../src/promote/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli, startCli } from './cli.ts';
import { docker } from './docker.ts';
import { buildReleaseB, releaseBReport as signedReleaseB, signedVariant, type ReleaseB } from './reports.ts';

// sim → promote against the stand-ins, as a user runs them: every call a dry
// run would make, every check that refuses, a deploy that crashes, a release B
// (another image) whose smoke fails on Railway and on Render (both roll back to
// release A, which requests to production and the platforms' digests confirm),
// an interrupt half-way, and staging (production untouched).
describe('npm run promote', () => {
  let dir: string;
  let platforms: Platforms;
  let reportPath: string;
  let report: SimReport;
  let env: Record<string, string>;
  const keys = newSigningKeys();

  /** Release B: the rehearsed backend with one setting changed, so the smoke's sign-up answers 413. */
  let releaseB: ReleaseB | undefined;

  const promote = (args: string[] = [], extra: Record<string, string> = {}) =>
    runCli(['promote', '--report', reportPath, ...args], { ...env, ...extra });
  /** What the platforms report, asked through their APIs as promotion asks them. */
  const platform = {
    railway: (environment: Environment = 'production') =>
      new RailwayTarget({
        apiUrl: platforms.railway.apiUrl,
        token: platforms.railway.token,
        tokenKind: 'bearer',
        serviceId: platforms.railway.serviceId,
        environmentId:
          environment === 'staging'
            ? platforms.railway.stagingEnvironmentId
            : platforms.railway.environmentId,
        settings: railwaySettings(),
        deployTimeoutMs: 1_000,
        pollMs: 100,
      }),
    render: () =>
      new RenderTarget({
        apiUrl: platforms.render.apiUrl,
        apiKey: platforms.render.apiKey,
        serviceId: platforms.render.serviceId,
        deployTimeoutMs: 1_000,
        pollMs: 100,
      }),
    vercel: (environment: Environment = 'production') =>
      new VercelTarget({
        apiUrl: platforms.vercel.apiUrl,
        token: platforms.vercel.token,
        projectId: platforms.vercel.projectId,
        environment,
        stagingDomain: platforms.vercel.stagingDomain,
        deployTimeoutMs: 1_000,
        pollMs: 100,
      }),
  };
  /** Docker's own word: the image ids of the running replicas of a platform's deployment. */
  const replicaImages = async (prefix: string) => {
    const replicas = (await projectContainers(platforms.project)).filter(
      (c) => c.service.startsWith(prefix) && c.state === 'running',
    );
    return Promise.all(replicas.map(async (r) => (await inspectContainer(r.id)).image));
  };
  const digestOf = (reference: string | undefined) => reference?.split('@')[1];
  /** Signs up and reads tasks at `url`: 200s under release A; B answers the sign-up 413. */
  const signUpAndRead = async (url: string) => {
    const email = `check-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name: 'Check' }),
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const tasks = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${url}/api/tasks`, { headers: { cookie } }).then((r) => r.status),
      ),
    );
    return { signUp: signUp.status, tasks };
  };
  /** The report of release B: B's image id and tag, its config hash recomputed, signed by the gate's key. */
  const releaseBReport = async (name: string) => {
    releaseB ??= await buildReleaseB(report, dir);
    return signedReleaseB({ report, releaseB, dir, name, key: keys.privateKeyPem });
  };
  const recordOf = async (path = reportPath) =>
    JSON.parse(await readFile(join(path, '..', 'promotion.json'), 'utf8')) as PromotionRecord;
  /** A copy of the report, changed, and signed again with `key` (the gate's, unless said). */
  const variant = (name: string, change: (r: SimReport) => void, key = keys.privateKeyPem) =>
    signedVariant({ report, dir, name, change, key });
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
    if (releaseB) await docker('rmi', releaseB.reference).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('ships the rehearsed images by digest; the platforms run exactly them and the smoke, browser flow included, passes through Vercel', async () => {
    const run = await promote();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PROMOTED to production');
    const record = await recordOf();
    expect(record).toMatchObject({ outcome: 'promoted', serving: 'new release' });
    expect(record.smoke?.ok).toBe(true);
    // The browser flow ran by default (Chromium is installed here), through production's URL.
    const flow = record.smoke?.scenarios.find((s) => s.kind === 'browser');
    expect(flow).toMatchObject({ name: 'browser flow', ok: true });
    expect(flow?.skipped).toBeUndefined();
    expect(flow?.steps.length).toBeGreaterThan(3);
    // The chain: image id → pushed manifest (whose configuration is that id) → what the platform serves.
    const backend = record.chain.backend;
    expect(backend?.imageId).toBe(report.images.backend?.id);
    expect(backend?.pushed).toMatch(new RegExp(`^${platforms.registry}/todo-backend@sha256:[0-9a-f]{64}$`));
    expect(backend?.serving).toBe(digestOf(backend?.pushed));
    // What serves was checked, not assumed: both platforms' word and production's answers.
    expect(record.check).toMatchObject({
      url: platforms.vercel.productionUrl,
      backend: digestOf(backend?.pushed),
      frontend: record.targets.frontend?.deployed?.id,
      page: 200,
      app: true,
      api: 401,
    });
    // Docker's own word about the replicas Railway's stand-in runs: the rehearsed image.
    expect(await replicaImages('railway-')).toEqual([report.images.backend?.id, report.images.backend?.id]);
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
    // Exactly the SPA the frontend image serves.
    const served = await (await fetch(`${platforms.vercel.productionUrl}/`)).text();
    expect(served).toContain('<script type="module"');
  });

  it('prints every call a dry run would make, the rollback marked, and sends none of them', async () => {
    // Every API and the registry pointed at a listener that counts what reaches it.
    let reached = 0;
    const counter = createServer((_, reply) => {
      reached += 1;
      reply.writeHead(500).end();
    });
    await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
    const at = `127.0.0.1:${(counter.address() as AddressInfo).port}`;
    try {
      const dry = await promote(['--dry-run'], {
        PROMOTE_REGISTRY: at,
        RAILWAY_API_URL: `http://${at}/graphql/v2`,
        VERCEL_API_URL: `http://${at}`,
      });
      expect(dry.code, dry.stdout + dry.stderr).toBe(0);
      expect(reached).toBe(0);
      const { plan = [] } = await recordOf();
      const { serviceId, environmentId } = platforms.railway;
      const { projectId } = platforms.vercel;
      const railway = `POST http://${at}/graphql/v2`;
      const ids = `serviceId: ${serviceId}, environmentId: ${environmentId}`;
      const vercel = `http://${at}`;
      const tag = (name: string) => report.images[name as 'backend']?.reference.split(':')[1] ?? '';
      const railwayLive = [
        `${railway} deployments(${ids}, status: SUCCESS)`,
        `${railway} serviceInstance(${ids})`,
      ];
      const railwayServing = [...railwayLive, `${railway} deployment(id: <live deployment>)`];
      const vercelLive = `GET ${vercel}/v9/projects/${projectId}:`;
      const check = [
        ...railwayServing,
        vercelLive,
        'GET <the production URL>/:',
        'GET <the production URL>/api/tasks',
      ];
      const expected: [string, string[], boolean?][] = [
        [
          'push by digest',
          ['backend', 'frontend', 'proxy'].flatMap((name) => [
            `docker push ${at}/todo-${name}:${tag(name)}`,
            `GET http://${at}/v2/todo-${name}/manifests/${tag(name)}`,
          ]),
        ],
        ['what is live', [...railwayLive, vercelLive]],
        [
          'deploy the backend',
          [
            `${railway} serviceInstanceUpdate(${ids}, input: {"source":{"image":"${at}/todo-backend@sha256:<pushed digest>"}`,
            `${railway} serviceInstanceDeployV2(${ids})`,
            `${railway} deployment(id: <new deployment>) every 0.5 s`,
            `${railway} serviceInstance(${ids})`,
            ...railwayServing,
          ],
        ],
        ['frontend build output', [`docker: the files of ${report.images.frontend?.reference ?? ''}`]],
        [
          'deploy the frontend',
          [
            `POST ${vercel}/v13/deployments (project ${projectId}, target production, autoAssignCustomDomains false`,
            `POST ${vercel}/v2/files for each file Vercel reports missing`,
            `GET ${vercel}/v13/deployments/<new deployment> every 0.5 s (at most 120 s) until READY (or ERROR)`,
          ],
        ],
        [
          'make it production',
          [
            `POST ${vercel}/v10/projects/${projectId}/promote/<new deployment>`,
            `GET ${vercel}/v9/projects/${projectId} every 0.5 s (at most 120 s) until it is <new deployment>`,
            vercelLive,
          ],
        ],
        [
          'smoke',
          [
            'requests of the API scenarios (',
            'the browser flow in Chromium (/usr/bin/chromium) against <the production URL>, once the API scenarios pass',
          ],
        ],
        ['check what serves', check],
        [
          'roll back',
          [
            vercelLive,
            `POST ${vercel}/v1/projects/${projectId}/rollback/<the deployment live before>`,
            `GET ${vercel}/v9/projects/${projectId} every 0.5 s (at most 120 s) until it is <the deployment live before>`,
            ...railwayLive,
            `${railway} deploymentRollback(id: <the deployment live before>)`,
            `${railway} deployments(${ids}, status: SUCCESS): the live deployment, then serviceInstance, every 0.5 s`,
          ],
          true,
        ],
        ['check what serves', check, true],
      ];
      const wanted = expected.flatMap(([step, calls, onFailure]) =>
        calls.map((call) => ({ step, call, onFailure: onFailure ?? false })),
      );
      expect(plan.map((p) => ({ step: p.step, onFailure: p.onFailure ?? false }))).toEqual(
        wanted.map(({ step, onFailure }) => ({ step, onFailure })),
      );
      plan.forEach((p, i) => {
        expect(
          p.call.startsWith(wanted[i]?.call ?? '?'),
          `${p.call}\nshould start with\n${wanted[i]?.call}`,
        ).toBe(true);
      });
      // The railway.json settings travel with the update; each call is printed.
      expect(plan.find((p) => p.call.includes('serviceInstanceUpdate'))?.call).toMatch(
        /"preDeployCommand":\["node dist\/migrate.mjs"\],"healthcheckPath":"\/ready"/,
      );
      for (const p of plan)
        expect(dry.stdout).toContain(`would, ${p.onFailure ? 'on failure, ' : ''}${p.step}: ${p.call}`);
    } finally {
      counter.closeAllConnections();
      await new Promise((resolve) => counter.close(resolve));
    }
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
      // Rolled back, but a platform that misreports what it runs cannot confirm the release before.
      const record = await recordOf();
      expect(record.check?.backend).toBe(`sha256:${'1'.repeat(64)}`);
      expect(record.serving).toBe('unknown');
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
      // Checked: Railway still reports the earlier digest, and production answers.
      expect(record.serving).toBe('previous release');
      expect(record.check?.backend).toBe(digestOf(record.targets.backend?.previous?.artefact));
      expect(record.targets.backend?.deployed?.id).not.toBe(record.targets.backend?.previous?.id);
      expect(record.targets.frontend?.deployed).toBeNull();
    } finally {
      platforms.railway.setVariables({ RATE_LIMIT_API_MAX: '600' });
    }
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
  });

  it('rolls both platforms back to release A when release B (another image) fails the smoke, and A serves again', async () => {
    const a = await promote(['--no-browser']);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const digestA = digestOf((await recordOf()).chain.backend?.pushed);
    const frontendA = (await recordOf()).targets.frontend?.deployed?.id;

    const b = await runCli(['promote', '--report', await releaseBReport('release-b'), '--no-browser'], env);
    expect(b.code, b.stdout + b.stderr).toBe(1);
    expect(b.stderr).toMatch(/ROLLED BACK: the smoke failed .*; serving: previous release/);
    const record = await recordOf(join(dir, 'release-b', 'report.json'));
    const digestB = digestOf(record.chain.backend?.pushed);
    expect(record.chain.backend?.imageId).toBe(releaseB?.id);
    expect(digestB).toMatch(/^sha256:/);
    expect(digestB).not.toBe(digestA);
    // B really served production: its smoke met B's setting.
    expect(record.chain.backend?.serving).toBe(digestB);
    expect(JSON.stringify(record.smoke?.scenarios)).toContain('413');
    expect(record.rollback).toMatchObject({
      backend: expect.stringMatching(/^back on /),
      frontend: `back on ${frontendA ?? '?'}`,
    });
    expect(record).toMatchObject({
      serving: 'previous release',
      check: { backend: digestA, frontend: frontendA },
    });

    // Asked again here: Railway reports A's digest, Vercel A's deployment, Docker runs A's image.
    expect(await platform.railway().serving()).toBe(digestA);
    expect(await platform.vercel().serving()).toBe(frontendA);
    // B's replicas are stopped once drained (a second or so after the switch): then only A's run.
    await expect
      .poll(() => replicaImages('railway-'), { timeout: 15_000, interval: 500 })
      .toEqual([report.images.backend?.id, report.images.backend?.id]);
    // By requests to production: A's sign-up and reads (B answered the sign-up 413).
    expect(await signUpAndRead(platforms.vercel.productionUrl)).toEqual({
      signUp: 200,
      tasks: [200, 200, 200, 200, 200],
    });
  });

  it('leaves the previous release serving when interrupted half-way, and says so', async () => {
    const run = startCli(['promote', '--report', reportPath, '--no-browser'], env);
    await run.waitFor(/railway deployment \S+ created/);
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const record = await recordOf();
    expect(record.outcome).toBe('interrupted');
    expect(record.serving).toBe('previous release');
    expect(record.check?.backend).toBe(digestOf(record.targets.backend?.previous?.artefact));
    expect(await productionWorks()).toEqual({ page: 200, html: true, tasks: 401 });
  });

  it('deploys the backend to Render instead when asked, writes its blueprint from the same settings, and rolls Render back', async () => {
    const run = await promote(['--no-browser'], { PROMOTE_BACKEND: 'render' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const record = await recordOf();
    expect(record.targets.backend?.name).toBe('render');
    const digestA = digestOf(record.chain.backend?.pushed);
    expect(record.chain.backend?.serving).toBe(digestA);
    expect(record).toMatchObject({ serving: 'new release', check: { backend: digestA } });
    expect(await replicaImages('render-')).toEqual([report.images.backend?.id, report.images.backend?.id]);
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

    // Release B on Render: the smoke fails, Render goes back to A's image.
    const b = await runCli(
      ['promote', '--report', await releaseBReport('release-b-render'), '--no-browser'],
      {
        ...env,
        PROMOTE_BACKEND: 'render',
      },
    );
    expect(b.code, b.stdout + b.stderr).toBe(1);
    const rolled = await recordOf(join(dir, 'release-b-render', 'report.json'));
    expect(rolled.chain.backend?.serving).not.toBe(digestA);
    expect(rolled.rollback?.backend).toMatch(/^back on dep-/);
    expect(rolled).toMatchObject({
      outcome: 'rolled back',
      serving: 'previous release',
      check: { backend: digestA },
    });
    expect(await platform.render().serving()).toBe(digestA);
    await expect
      .poll(() => replicaImages('render-'), { timeout: 15_000, interval: 500 })
      .toEqual([report.images.backend?.id, report.images.backend?.id]);
    expect(await signUpAndRead(platforms.vercel.productionUrl)).toEqual({
      signUp: 200,
      tasks: [200, 200, 200, 200, 200],
    });
  });

  it('promotes to staging: Railway staging and a Vercel preview behind the staging domain, production untouched', async () => {
    const production = async () => ({
      backend: (await platform.railway().current())?.id,
      frontend: await platform.vercel().serving(),
      answers: await productionWorks(),
    });
    const before = await production();
    expect(before.answers).toEqual({ page: 200, html: true, tasks: 401 });

    const run = await promote(['--environment', 'staging', '--no-browser']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PROMOTED to staging');
    const record = await recordOf();
    expect(record).toMatchObject({ environment: 'staging', outcome: 'promoted', serving: 'new release' });
    expect(record.check?.url).toBe(platforms.vercel.stagingUrl);
    const preview = record.targets.frontend?.deployed;
    // A preview, served at its own URL too; the staging domain points at it.
    expect(preview?.url).not.toBe(platforms.vercel.stagingUrl);
    const own = await fetch(`${preview?.url ?? ''}/`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('<div id="root">');
    expect(await platform.vercel('staging').serving()).toBe(preview?.id);
    // Railway's staging environment runs the rehearsed image by its pushed digest.
    const stagingA = digestOf(record.chain.backend?.pushed);
    expect(await platform.railway('staging').serving()).toBe(stagingA);
    const stagingDeployment = record.targets.backend?.deployed?.id ?? '?';
    expect(await replicaImages(`railway-${stagingDeployment.slice(0, 8)}`)).toEqual([
      report.images.backend?.id,
      report.images.backend?.id,
    ]);
    expect(await signUpAndRead(platforms.vercel.stagingUrl)).toEqual({
      signUp: 200,
      tasks: [200, 200, 200, 200, 200],
    });
    expect(await production()).toEqual(before);

    // Release B to staging fails its smoke: staging goes back to A; production is still not touched.
    const b = await runCli(
      [
        'promote',
        '--report',
        await releaseBReport('release-b-staging'),
        '--environment',
        'staging',
        '--no-browser',
      ],
      env,
    );
    expect(b.code, b.stdout + b.stderr).toBe(1);
    const rolled = await recordOf(join(dir, 'release-b-staging', 'report.json'));
    expect(rolled).toMatchObject({
      environment: 'staging',
      outcome: 'rolled back',
      serving: 'previous release',
      rollback: { frontend: `back on ${preview?.id ?? '?'}` },
      check: { url: platforms.vercel.stagingUrl, backend: stagingA, frontend: preview?.id },
    });
    expect(await platform.railway('staging').serving()).toBe(stagingA);
    expect(await signUpAndRead(platforms.vercel.stagingUrl)).toEqual({
      signUp: 200,
      tasks: [200, 200, 200, 200, 200],
    });
    expect(await production()).toEqual(before);
  });

  it('refuses an environment it does not know, in one line', async () => {
    const run = await promote(['--environment', 'qa']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/--environment qa: one of production, staging$/);
  });

  it('in CI, refuses to promote a release whose browser flow could not run, before deploying anything', async () => {
    const serving = async () => ({
      backend: (await platform.railway().current())?.id,
      frontend: await platform.vercel().serving(),
    });
    const before = await serving();
    const run = await promote([], { CI: 'true', CHROMIUM_PATH: '/nowhere/chromium' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /CI=true: the smoke's browser flow cannot run here \(CHROMIUM_PATH=\/nowhere\/chromium does not exist: .*\); or pass --no-browser/,
    );
    expect(await serving()).toEqual(before);
  });

  it('leaves nothing behind when the stand-ins stop: containers, network, volumes, the registry names', async () => {
    await platforms.close();
    expect(await projectLeftovers(platforms.project)).toEqual([]);
    expect((await docker('images', '--format', '{{.Repository}}')).split('\n')).not.toContain(
      `${platforms.registry}/todo-backend`,
    );
  });
});
