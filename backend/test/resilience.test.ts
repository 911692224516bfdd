import { baseImages, ownerLabels } from '@todo/harness';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, Wait } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src/migrations/index.ts';
import { startApi } from './support/api.ts';
import { Client, signedUpClient } from './support/client.ts';
import { docker, eventually, freePort } from './support/outage.ts';

const images = baseImages();
const labels = ownerLabels();

async function startOwnRedis() {
  const port = await freePort();
  const container = await new GenericContainer(images.REDIS_IMAGE)
    .withExposedPorts({ container: 6379, host: port })
    .withLabels(labels)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return { container, url: `redis://127.0.0.1:${port}` };
}

const readyStatus = async (url: string) =>
  ((await (await fetch(`${url}/ready`)).json()) as { status: string }).status;

describe('when Redis is lost', () => {
  for (const outage of ['stopped', 'hung'] as const) {
    it(`keeps serving and keeps everyone signed in while Redis is ${outage}, and uses it again when it returns`, async () => {
      const redis = await startOwnRedis();
      await using _redis = redis.container;
      await using api = await startApi({ redisUrl: redis.url, env: { RATE_LIMIT_API_MAX: '20' } });
      const alice = await signedUpClient(api.url);
      const carol = await signedUpClient(api.url); // her session is cached in Redis
      const { body: task } = await alice.createTask({ title: 'before the outage' });

      await docker(outage === 'stopped' ? 'stop' : 'pause', redis.container.getId());

      const started = performance.now();
      const list = await alice.listTasks();
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect((await alice.createTask({ title: 'during the outage' })).status).toBe(201);
      expect(await readyStatus(api.url)).toBe('degraded');

      // New sessions and sign-in work, and rate limits still hold (in memory).
      const bob = await signedUpClient(api.url);
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await bob.listTasks()).status);
      expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
      expect(statuses[20]).toBe(429);
      expect((await bob.signOut()).status).toBe(200);
      expect((await bob.listTasks()).status).toBe(401);
      expect((await new Client(api.url).signIn(alice.email)).status).toBe(200);
      expect((await carol.signOut()).status).toBe(200);

      await docker(outage === 'stopped' ? 'start' : 'unpause', redis.container.getId());
      await eventually(
        async () => (await readyStatus(api.url)) === 'ok',
        20_000,
        'readiness ok after Redis returns',
      );
      expect((await alice.listTasks()).status).toBe(200);
      // Bob and Carol signed out during the outage. Carol's session was cached in
      // Redis: the stale copy must not bring it back once Redis answers again.
      expect((await bob.listTasks()).status).toBe(401);
      expect((await carol.listTasks()).status).toBe(401);
      expect(api.logs.text()).toContain('redis unavailable; falling back to memory');
    });
  }

  it('keeps everyone signed in when Redis loses its data', async () => {
    const redis = await startOwnRedis();
    await using _redis = redis.container;
    await using api = await startApi({ redisUrl: redis.url });
    const alice = await signedUpClient(api.url);
    await redis.container.exec(['redis-cli', 'FLUSHALL']);
    expect((await alice.listTasks()).status).toBe(200);
  });
});

describe('when Postgres hangs', () => {
  it('answers 503 within the query timeout instead of holding requests, and recovers', async () => {
    const port = await freePort();
    await using postgres = await new PostgreSqlContainer(images.POSTGRES_IMAGE)
      .withExposedPorts({ container: 5432, host: port })
      .withLabels(labels)
      .start();
    const databaseUrl = postgres.getConnectionUri();
    await migrate({ databaseUrl });
    await using api = await startApi({ databaseUrl, redisUrl: null, env: { SESSION_CACHE_SECONDS: '60' } });
    const alice = await signedUpClient(api.url);
    expect((await alice.listTasks()).status).toBe(200);

    await docker('pause', postgres.getId());
    try {
      const started = performance.now();
      const reply = await alice.listTasks();
      expect(reply.status).toBe(503);
      expect(reply.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(8_000);
    } finally {
      await docker('unpause', postgres.getId());
    }
    await eventually(async () => (await alice.listTasks()).status === 200, 30_000, 'requests succeed again');
  });
});

describe('when Postgres is lost', () => {
  it('answers 503 quickly without crashing, reports not ready, and recovers when it returns', async () => {
    const port = await freePort();
    await using postgres = await new PostgreSqlContainer(images.POSTGRES_IMAGE)
      .withExposedPorts({ container: 5432, host: port })
      .withLabels(labels)
      .start();
    const databaseUrl = postgres.getConnectionUri();
    await migrate({ databaseUrl });
    await using api = await startApi({ databaseUrl, redisUrl: null });
    const alice = await signedUpClient(api.url);
    const { body: task } = await alice.createTask({ title: 'survives' });

    await docker('stop', postgres.getId());

    for (const reply of [await alice.listTasks(), await alice.createTask({ title: 'lost?' })]) {
      expect(reply.status).toBe(503);
      expect(reply.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(reply.headers.get('retry-after')).toBe('5');
      // One log line per failed request, carrying the cause.
      const lines = api.logs.entries().filter((entry) => entry.reqId === reply.body.requestId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'error',
        msg: 'request failed',
        status: 503,
        err: { type: expect.any(String) },
      });
    }
    const signIn = await new Client(api.url).signIn(alice.email);
    expect(signIn.status).toBe(503);
    expect(signIn.body.code).toBe('DATABASE_UNAVAILABLE');
    const ready = await fetch(`${api.url}/ready`);
    expect(ready.status).toBe(503);
    expect(
      ((await ready.json()) as { checks: { postgres: { status: string } } }).checks.postgres.status,
    ).toBe('down');
    expect((await fetch(`${api.url}/health`)).status).toBe(200);

    await docker('start', postgres.getId());
    await eventually(
      async () => (await fetch(`${api.url}/ready`)).status === 200,
      30_000,
      'readiness after Postgres returns',
    );
    const list = await alice.listTasks();
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);
  });
});
