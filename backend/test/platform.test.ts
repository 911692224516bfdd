import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/outage.ts';
import { publicUrl, startApi, type RunningApi } from './support/api.ts';
import { Client, password, signedUpClient } from './support/client.ts';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
});
afterAll(async () => {
  await api.close();
});

describe('health', () => {
  it('answers liveness without touching dependencies', async () => {
    const reply = await fetch(`${api.url}/health`);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness with each dependency’s status and latency', async () => {
    const reply = await fetch(`${api.url}/ready`);
    expect(reply.status).toBe(200);
    const body: any = await reply.json();
    expect(body.status).toBe('ok');
    expect(body.checks.postgres).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
    expect(body.checks.redis).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
  });

  it('reports Redis as disabled when none is configured', async () => {
    await using noRedis = await startApi({ redisUrl: null, databaseUrl: api.databaseUrl });
    const body: any = await (await fetch(`${noRedis.url}/ready`)).json();
    expect(body).toMatchObject({ status: 'ok', checks: { redis: { status: 'disabled' } } });
  });
});

describe('metrics', () => {
  it('exposes request durations by route and status, request counts and pool usage', async () => {
    const client = await signedUpClient(api.url);
    await client.listTasks();
    await client.getTask('00000000-0000-4000-8000-000000000000');
    const reply = await fetch(`${api.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await reply.text();
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*method="GET",route="\/api\/tasks",status_code="200"/,
    );
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/tasks\/:id",status_code="404"\} 1/);
    expect(text).toMatch(/db_pool_connections\{pool="api",state="total"\} [1-9]/);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });

  it('needs the metrics token when one is configured', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
  });
});

describe('HTTP surface', () => {
  it('serves an OpenAPI document describing the task routes', async () => {
    const doc: any = await (await fetch(`${api.url}/api/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/tasks',
        '/api/tasks/{id}',
        '/api/tasks/{id}/complete',
        '/api/tasks/{id}/reopen',
      ]),
    );
    expect(doc.paths['/api/tasks'].post.requestBody).toBeDefined();
    expect(doc.components.schemas.Task).toBeDefined();
  });

  it('sends security headers and a request id, keeping a valid incoming one', async () => {
    const reply = await fetch(`${api.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(reply.headers.get('x-request-id')).toBe('trace-123');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'none'");
    const generated = await fetch(`${api.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS from the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/tasks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PATCH' },
      });
    const allowed = await preflight(publicUrl);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(publicUrl);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers other malformed requests with their own 4xx and a reason, never 500', async () => {
    const reply = await fetch(`${api.url}/api/tasks/%E0%A4%A`);
    expect(reply.status).toBe(400);
    const body = (await reply.json()) as { code: string; message: string };
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.message.length).toBeGreaterThan(0);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const reply = await fetch(`${api.url}/api/nope`);
    expect(reply.status).toBe(404);
    expect(((await reply.json()) as { code: string }).code).toBe('NOT_FOUND');
  });
});

describe('logs', () => {
  it('writes one JSON line per request with its id, and never passwords, cookies or authorization', async () => {
    const client = new Client(api.url);
    await client.signUp();
    await client.signIn(client.email, password);
    await client.request('GET', '/api/tasks', {
      headers: { authorization: 'Bearer super-secret-token', 'x-request-id': 'log-check-1' },
    });
    const sessionCookie = [...client.cookies.values()][0] ?? '';

    const text = api.logs.text();
    expect(text).not.toContain(password);
    expect(text).not.toContain('super-secret-token');
    expect(sessionCookie.length).toBeGreaterThan(10);
    expect(text).not.toContain(decodeURIComponent(sessionCookie).split('.')[0]);

    const entry = api.logs.entries().find((e) => e.reqId === 'log-check-1');
    expect(entry).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/api/tasks',
      status: 200,
      msg: 'request',
    });
    expect(entry?.ms).toEqual(expect.any(Number));
  });

  it('in production, never serves /metrics openly on the API port; METRICS_PORT serves it apart', async () => {
    const metricsPort = await freePort();
    await using production = await startApi({
      databaseUrl: api.databaseUrl,
      env: { NODE_ENV: 'production', METRICS_PORT: String(metricsPort) },
    });
    const onApiPort = await fetch(`${production.url}/metrics`);
    expect(onApiPort.status).toBe(404);
    expect(await onApiPort.text()).not.toMatch(/process_resident_memory_bytes/);
    const apart = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(apart.status).toBe(200);
    expect(await apart.text()).toMatch(
      /http_requests_total\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/tasks`)).status).toBe(404);

    await using withToken = await startApi({
      databaseUrl: api.databaseUrl,
      env: { NODE_ENV: 'production', METRICS_TOKEN: 'metrics-token-0123456789' },
    });
    expect((await fetch(`${withToken.url}/metrics`)).status).toBe(401);
    const authorized = await fetch(`${withToken.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(authorized.status).toBe(200);
  });
});
