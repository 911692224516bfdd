import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vercelRoutes } from '../deploy/index.ts';
import { loadBuildOutput } from './build-output.ts';

// The routes our Build Output writes, served as Vercel serves them.
describe('a Build Output served by the Vercel stand-in', () => {
  const servers: Server[] = [];
  let site: string;
  let seen: string[] = [];

  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const backend = await listen(
      createServer((request, reply) => {
        seen.push(`${request.method ?? ''} ${request.url ?? ''} host=${request.headers.host ?? ''}`);
        reply.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': 'todo.session_token=abc; Path=/',
        });
        reply.end('{"from":"backend"}');
      }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'build-output-'));
    await mkdir(join(dir, 'static', 'assets'), { recursive: true });
    await writeFile(join(dir, 'static', 'index.html'), '<div id="root"></div>');
    await writeFile(join(dir, 'static', 'assets', 'app-1a2b.js'), 'console.log(1)');
    const routes = vercelRoutes(new URL(backend), { 'X-Content-Type-Options': 'nosniff' });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ version: 3, routes }));
    const output = await loadBuildOutput(dir);
    site = await listen(
      createServer((request, reply) => {
        output.handle(request, reply);
      }),
    );
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('rewrites /api/* to the backend, query and cookies included', async () => {
    seen = [];
    const reply = await fetch(`${site}/api/tasks?status=open`, { headers: { cookie: 'a=1' } });
    expect(await reply.json()).toEqual({ from: 'backend' });
    expect(reply.headers.getSetCookie()).toEqual(['todo.session_token=abc; Path=/']);
    expect(seen).toEqual([expect.stringMatching(/^GET \/api\/tasks\?status=open host=127\.0\.0\.1:\d+$/)]);
  });

  it('serves files with their type and headers, hashed assets cached for a year', async () => {
    const asset = await fetch(`${site}/assets/app-1a2b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('falls back to index.html for client-side routes, never cached', async () => {
    const page = await fetch(`${site}/tasks/123?filter=done`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<div id="root"></div>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const escape = await fetch(`${site}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).toBe('<div id="root"></div>');
  });
});
