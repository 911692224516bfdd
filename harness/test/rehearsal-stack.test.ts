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

  it('runs every service as non-root on a read-only root filesystem', async () => {
    for (const service of services) {
      const id = rehearsal.containerId(service);
      expect(
        `${service}: ${(await docker('inspect', '--format', '{{.HostConfig.ReadonlyRootfs}}', id)).trim()}`,
      ).toBe(`${service}: true`);
      const status = await dockerExec(id, 'cat', '/proc/1/status');
      const uid = /^Uid:\s+(\d+)/m.exec(status.output)?.[1];
      expect(`${service}: uid ${uid}`).not.toBe(`${service}: uid 0`);
      expect(uid).toBeDefined();
      const write = await dockerExec(id, 'touch', '/written-at-run-time');
      expect(`${service}: ${write.code === 0 ? 'wrote to /' : 'refused'}`).toBe(`${service}: refused`);
    }
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
