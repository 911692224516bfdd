import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAppImages,
  projectLeftovers,
  projectName as newProjectName,
  reapOrphans,
  startRehearsal,
  type StartedRehearsal,
} from '../src/index.ts';
import { parse as parseYaml } from 'yaml';
import { composeConfig } from '../src/docker/index.ts';
import { containerLogs, docker, dockerExec } from './docker.ts';

const projectName = newProjectName('test');
const services = ['postgres', 'redis', 'backend-1', 'backend-2', 'frontend', 'proxy'];

describe('the production rehearsal (docker-compose.prod.yml)', () => {
  let rehearsal: StartedRehearsal;
  // Teardown even when beforeAll failed half-way (then the stack was never set).
  const teardown: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    await reapOrphans();
    const images = await buildAppImages();
    rehearsal = await startRehearsal({
      projectName,
      images: { backend: images.backend.tag, frontend: images.frontend.tag, proxy: images.proxy.tag },
      // The load below is one user: the per-user limit is raised through its variable, never switched off.
      env: {
        RATE_LIMIT_API_MAX: '1000000',
        ...(process.env.SHUTDOWN_DRAIN_MS ? { SHUTDOWN_DRAIN_MS: process.env.SHUTDOWN_DRAIN_MS } : {}),
      },
    });
    teardown.push(() => rehearsal.down());
  });
  afterAll(async () => {
    for (const step of teardown) await step();
  });

  it('serves the SPA and the API through the proxy over TLS that verifies with the stack’s CA', async () => {
    const page = await rehearsal.fetch(`${rehearsal.baseUrl}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const api = await rehearsal.fetch(`${rehearsal.baseUrl}/api/openapi.json`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
    // The backend's own endpoints are not public: /health is just another SPA route here.
    const health = await rehearsal.fetch(`${rehearsal.baseUrl}/health`);
    expect(health.headers.get('content-type')).toContain('text/html');
    // An untrusted client is refused: the certificate is the stack's own.
    await expect(fetch(`${rehearsal.baseUrl}/`)).rejects.toThrow();
  });

  it('redirects HTTP to HTTPS, keeping the port and the path', async () => {
    const reply = await rehearsal.fetch(`${rehearsal.httpUrl}/tasks?status=open`, { redirect: 'manual' });
    expect(reply.status).toBe(308);
    expect(reply.headers.get('location')).toBe(`${rehearsal.baseUrl}/tasks?status=open`);
  });

  it('spreads API requests over both backend replicas', async () => {
    const probe = randomUUID();
    for (let i = 0; i < 30; i++) {
      const reply = await rehearsal.fetch(`${rehearsal.baseUrl}/api/openapi.json?probe=${probe}`);
      await reply.body?.cancel();
    }
    // Each replica logs a request just after answering it: give the last line a moment.
    let served = [0, 0];
    for (let attempt = 0; attempt < 20 && served[0]! + served[1]! < 30; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      served = await Promise.all(
        ['backend-1', 'backend-2'].map(async (service) => {
          const logs = await containerLogs(rehearsal.containerId(service));
          return logs.split(probe).length - 1;
        }),
      );
    }
    expect(served[0]! + served[1]!).toBe(30);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(5);
  });

  it('hardens every service in the file, as declared and as Docker runs it', async () => {
    // Every service docker-compose.prod.yml has, as Compose resolves it (anchors merged): not a list kept here.
    const config = parseYaml(await composeConfig('docker-compose.prod.yml', process.env)) as {
      services: Record<string, Record<string, unknown>>;
    };
    const declared = Object.keys(config.services).sort();
    expect(declared).toEqual(expect.arrayContaining(services));
    const containers = await rehearsal.containers();
    expect(containers.map((c) => c.service).sort()).toEqual(declared);

    const problems: string[] = [];
    for (const service of declared) {
      const file = config.services[service] as {
        read_only?: boolean;
        cap_drop?: string[];
        cap_add?: string[];
        security_opt?: string[];
        pids_limit?: number;
        logging?: { options?: Record<string, string> };
        cpus?: string | number;
        mem_limit?: string | number;
      };
      const said = (what: string, holds: boolean) => {
        if (!holds) problems.push(`${service} (file): ${what}`);
      };
      said('read_only: true', file.read_only === true);
      said('cap_drop: [ALL]', file.cap_drop?.includes('ALL') === true);
      said('no cap_add', (file.cap_add ?? []).length === 0);
      said('no-new-privileges', file.security_opt?.includes('no-new-privileges:true') === true);
      said('pids_limit', (file.pids_limit ?? 0) > 0);
      said('a CPU and a memory limit', Boolean(file.cpus && file.mem_limit));
      said('bounded logs', Boolean(file.logging?.options?.['max-size']));

      const container = containers.find((c) => c.service === service);
      if (!container) continue;
      const inspected = JSON.parse(await docker('inspect', container.id)) as [
        {
          Config: { User: string; Image: string };
          HostConfig: {
            ReadonlyRootfs: boolean;
            CapDrop: string[] | null;
            CapAdd: string[] | null;
            SecurityOpt: string[] | null;
            PidsLimit: number | null;
            Memory: number;
            NanoCpus: number;
          };
          State: { Running: boolean };
        },
      ];
      const { HostConfig: host, Config: runAs, State: state } = inspected[0];
      const runs = (what: string, holds: boolean) => {
        if (!holds) problems.push(`${service} (running): ${what}`);
      };
      runs('read-only root filesystem', host.ReadonlyRootfs);
      runs('no capabilities', host.CapDrop?.includes('ALL') === true && (host.CapAdd ?? []).length === 0);
      runs('no-new-privileges', host.SecurityOpt?.includes('no-new-privileges:true') === true);
      runs('a process limit', (host.PidsLimit ?? 0) > 0);
      runs('a CPU and a memory limit', host.Memory > 0 && host.NanoCpus > 0);
      if (state.Running) {
        const status = await dockerExec(container.id, 'cat', '/proc/1/status');
        const uid = /^Uid:\s+(\d+)/m.exec(status.output)?.[1];
        runs(`not root (uid ${uid ?? '?'})`, uid !== undefined && uid !== '0');
        const capabilities = /^CapEff:\s+([0-9a-f]+)/m.exec(status.output)?.[1];
        runs(`no effective capabilities (CapEff ${capabilities ?? '?'})`, /^0+$/.test(capabilities ?? ''));
        const write = await dockerExec(container.id, 'touch', '/written-at-run-time');
        runs('refuses writes to /', write.code !== 0);
      } else {
        // A one-shot that has finished (migrate): the user it ran as.
        const user =
          runAs.User ||
          (await docker('image', 'inspect', '--format', '{{.Config.User}}', runAs.Image)).trim();
        runs(`not root (user "${user}")`, user !== '' && !/^(0|root)(:|$)/.test(user));
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets only the proxy reach the backends and the frontend, and only the backends reach Postgres and Redis', async () => {
    const containers = await rehearsal.containers();
    const running = (service: string) => {
      const found = containers.find((c) => c.service === service && c.state === 'running');
      if (!found) throw new Error(`${service} is not running`);
      return found;
    };
    const ports: Record<string, number> = { 'backend-1': 3000, frontend: 8080, postgres: 5432, redis: 6379 };
    // By every address the target has (so not only the name, which another network cannot resolve).
    const reaches = async (from: string, to: string): Promise<boolean> => {
      const addresses = Object.values(running(to).addresses);
      for (const host of [to, ...addresses]) {
        const attempt = await dockerExec(
          running(from).id,
          'timeout',
          '3',
          'bash',
          '-c',
          `exec 3<>/dev/tcp/${host}/${ports[to]}`,
        );
        if (attempt.code === 0) return true;
      }
      return false;
    };
    const expected: [string, string, boolean][] = [
      ['proxy', 'backend-1', true],
      ['proxy', 'frontend', true],
      ['proxy', 'postgres', false],
      ['proxy', 'redis', false],
      ['frontend', 'backend-1', false],
      ['frontend', 'postgres', false],
      ['frontend', 'redis', false],
      ['backend-2', 'postgres', true],
      ['backend-2', 'redis', true],
      ['backend-2', 'frontend', false],
      ['redis', 'frontend', false],
      ['postgres', 'frontend', false],
    ];
    const seen = await Promise.all(
      expected.map(
        async ([from, to]) => `${from} → ${to}: ${(await reaches(from, to)) ? 'reaches' : 'cannot reach'}`,
      ),
    );
    expect(seen).toEqual(
      expected.map(([from, to, can]) => `${from} → ${to}: ${can ? 'reaches' : 'cannot reach'}`),
    );
  });

  it('gives each service only its own secrets, and Redis and Postgres refuse clients without them', async () => {
    const envOf = async (service: string) =>
      (await rehearsal.containers()).find((c) => c.service === service)?.env.join('\n') ?? '';
    expect(await envOf('redis')).not.toMatch(/AUTH_SECRET|POSTGRES_PASSWORD|DATABASE_URL/);
    expect(await envOf('postgres')).not.toMatch(/AUTH_SECRET|REDIS_PASSWORD|REDIS_URL/);
    expect(await envOf('frontend')).not.toMatch(/AUTH_SECRET|PASSWORD|DATABASE_URL|REDIS_URL/);
    expect(await envOf('proxy')).not.toMatch(/AUTH_SECRET|PASSWORD|DATABASE_URL|REDIS_URL/);

    const redis = rehearsal.containerId('redis');
    const anonymous = await dockerExec(redis, 'redis-cli', 'get', 'anything');
    expect(anonymous.output).toMatch(/NOAUTH/);
    const wrong = await dockerExec(redis, 'redis-cli', '--no-auth-warning', '-a', 'not-the-password', 'ping');
    expect(wrong.output).toMatch(/WRONGPASS|invalid password/i);
    // Over the network (not its own loopback, which initdb trusts inside the container).
    const postgres = (await rehearsal.containers()).find((c) => c.service === 'postgres');
    const overTcp = await dockerExec(
      postgres?.id ?? 'postgres is missing',
      'psql',
      '-h',
      Object.values(postgres?.addresses ?? {})[0] ?? 'no address',
      '-U',
      'todo',
      '-d',
      'todo',
      '-w',
      '-c',
      'select 1',
    );
    expect(overTcp.code).not.toBe(0);
    expect(overTcp.output).toMatch(/password/i);
  });

  it('answers every request while a backend replica stops and starts again', async () => {
    const origin = new URL(rehearsal.baseUrl).origin;
    const signUp = await rehearsal.fetch(`${rehearsal.baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `restart-${randomUUID()}@example.com`,
        password: 'correct horse battery',
        name: 'R',
      }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; ');
    const headers = { origin, cookie, 'content-type': 'application/json' };

    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        try {
          const reply =
            i % 4 === 0
              ? await rehearsal.fetch(`${rehearsal.baseUrl}/api/tasks`, {
                  method: 'POST',
                  headers: { ...headers, 'idempotency-key': `${n}-${i}-${randomUUID()}` },
                  body: JSON.stringify({ title: `task ${n}.${i}` }),
                })
              : await rehearsal.fetch(`${rehearsal.baseUrl}/api/tasks?limit=5`, { headers });
          if (reply.ok) {
            await reply.body?.cancel();
            count(String(reply.status));
          } else {
            // Who answered (the proxy or a replica) and why, for the failure message.
            count(`${reply.status} ${(await reply.text()).slice(0, 120)}`);
          }
        } catch (error) {
          count(`error: ${(error as Error).message}`);
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    const replica = rehearsal.containerId('backend-1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await docker('stop', '--time', '15', replica);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await docker('start', replica);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    running = false;
    await Promise.all(workers);

    const failures = [...outcomes].filter(([key]) => key !== '200' && key !== '201');
    const proxyErrors = failures.length
      ? (await containerLogs(rehearsal.containerId('proxy')))
          .split('\n')
          .filter((line) => /"status":5\d\d|"level":"error"/.test(line))
      : [];
    expect(failures, proxyErrors.join('\n')).toEqual([]);
    expect((outcomes.get('200') ?? 0) + (outcomes.get('201') ?? 0)).toBeGreaterThan(100);
    expect(await containerLogs(replica)).toContain('failing health checks before closing');
  });

  it('leaves no container, network or volume behind after down', async () => {
    await rehearsal.down();
    expect(await projectLeftovers(projectName)).toEqual([]);
  });
});
