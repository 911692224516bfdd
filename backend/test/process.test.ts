import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from './support/database.ts';
import { signedUpClient } from './support/client.ts';
import { spawnServer } from './support/process.ts';

describe('start-up', () => {
  it('refuses to start with bad configuration, one line per problem', async () => {
    await using server = await spawnServer({ AUTH_SECRET: 'too-short', PORT: 'eighty' }, false);
    expect(await server.exited).toBe(1);
    const lines = server.stderr().trim().split('\n');
    expect(lines).toEqual([
      'config: PORT: must be a number',
      'config: DATABASE_URL: is required',
      expect.stringMatching(/^config: AUTH_SECRET: must be at least 32 characters/),
      'config: fix the variables above (see .env.example) and start again',
    ]);
  });

  it('starts, logs JSON and reports its start-up time', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    await using server = await spawnServer({ DATABASE_URL: databaseUrl });
    const ready = server
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; startupMs?: number })
      .find((entry) => entry.msg === 'ready');
    expect(ready?.startupMs).toEqual(expect.any(Number));
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('SIGTERM', () => {
  /** Holds an exclusive lock on tasks so a list request stays in flight until released. */
  async function blockTasks(databaseUrl: string) {
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE');
    return {
      release: async () => {
        await locker.query('COMMIT');
        await locker.end();
      },
    };
  }

  it('without a drain, stops accepting, finishes the in-flight request, closes connections and exits 0', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    await using server = await spawnServer({
      DATABASE_URL: databaseUrl,
      REDIS_URL: inject('redisUrl'),
      SHUTDOWN_DRAIN_MS: '0',
    });
    const client = await signedUpClient(server.url);
    await client.createTask({ title: 'in flight' });

    const lock = await blockTasks(databaseUrl);
    const inFlight = client.listTasks();
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await lock.release();

    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.body.items[0].title).toBe('in flight');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('shut down cleanly');

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'todo-%'",
    );
    await db.end();
    expect(rows[0].n).toBe(0);
  });

  it('in production, drains by default: fails /health and /ready for 5 s while still serving, then closes and exits 0', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    await using server = await spawnServer({ DATABASE_URL: databaseUrl, NODE_ENV: 'production' });
    const client = await signedUpClient(server.url);
    const stopAsked = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Compose's proxy checks /health; Railway and Kubernetes route by /ready.
    for (const path of ['/health', '/ready']) {
      const probe = await fetch(`${server.url}${path}`);
      expect(probe.status, path).toBe(503);
      expect(await probe.json()).toEqual({ status: 'draining' });
    }
    const created = await client.createTask({ title: 'during the drain' });
    expect(created.status).toBe(201);
    expect(created.headers.get('connection')).toBe('close');

    expect(await server.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(5_000);
    expect(server.stdout()).toContain('failing health checks before closing');
  });

  it('drains for SHUTDOWN_DRAIN_MS when it is set', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    await using server = await spawnServer({ DATABASE_URL: databaseUrl, SHUTDOWN_DRAIN_MS: '1500' });
    const stopAsked = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    expect(await server.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - stopAsked).toBeLessThan(5_000);
  });

  it('gives up after SHUTDOWN_TIMEOUT_MS and exits non-zero when a request cannot finish', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    await using server = await spawnServer({
      DATABASE_URL: databaseUrl,
      SHUTDOWN_TIMEOUT_MS: '1000',
      SHUTDOWN_DRAIN_MS: '0',
    });
    const client = await signedUpClient(server.url);
    const lock = await blockTasks(databaseUrl);
    const inFlight = client.listTasks().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    await lock.release();
    await inFlight;
  });
});
