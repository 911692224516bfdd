import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFromImage } from '../docker/index.ts';

/** The SPA's security headers, as the frontend image's Caddy sends them (frontend/Caddyfile). */
async function frontendHeaders(caddyfile: string): Promise<Record<string, string>> {
  const text = await readFile(caddyfile, 'utf8');
  const csp = /Content-Security-Policy "([^"]+)"/.exec(text)?.[1];
  if (!csp) throw new Error(`no Content-Security-Policy found in ${caddyfile}`);
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** The backend's public origin: https only, no path, so /api/* maps onto it one to one. */
export function parseBackendUrl(value: string | undefined): URL {
  if (!value) throw new Error('the backend URL is required (--backend-url https://api.example.com)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`the backend URL "${value}" is not a URL`);
  }
  // Plain http only on this machine (the platforms' stand-ins); a real backend is https.
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+)$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    throw new Error(`the backend URL must use https (got ${url.protocol}//)`);
  }
  if (url.pathname !== '/' || url.search || url.hash)
    throw new Error('the backend URL must be an origin, without a path');
  return url;
}

/** Vercel's routes: headers, /api/* rewritten to the backend, files, then the SPA fallback. */
export function vercelRoutes(backend: URL, headers: Record<string, string>): unknown[] {
  return [
    { src: '/api/(.*)', dest: `${backend.origin}/api/$1` },
    {
      src: '/assets/(.*)',
      headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
      continue: true,
    },
    { src: '/(.*)', headers, continue: true },
    { handle: 'filesystem' },
    { src: '/(.*)', dest: '/index.html', headers: { 'Cache-Control': 'no-cache' } },
  ];
}

export interface VercelOutputOptions {
  /** The frontend image whose /srv is deployed (the one the rehearsal served). */
  image: string;
  backendUrl: string;
  /** Default .vercel/output under cwd. */
  outDir: string;
  /** frontend/Caddyfile: the headers to carry over. */
  caddyfile: string;
}

/**
 * Vercel's Build Output (v3) from the frontend image's own files: static/ is a
 * copy of the image's /srv, byte for byte, and config.json rewrites /api/* to
 * the backend (cookies stay first-party) with the SPA fallback last.
 */
export async function writeVercelOutput(options: VercelOutputOptions): Promise<{ files: number }> {
  const backend = parseBackendUrl(options.backendUrl);
  const headers = await frontendHeaders(options.caddyfile);
  const scratch = await mkdtemp(join(tmpdir(), 'vercel-output-'));
  try {
    await copyFromImage(options.image, '/srv', join(scratch, 'static'));
    await rm(options.outDir, { recursive: true, force: true });
    await mkdir(options.outDir, { recursive: true });
    await cp(join(scratch, 'static'), join(options.outDir, 'static'), { recursive: true });
    await writeFile(
      join(options.outDir, 'config.json'),
      `${JSON.stringify({ version: 3, routes: vercelRoutes(backend, headers) }, null, 2)}\n`,
    );
    const entries = await readdir(join(options.outDir, 'static'), { recursive: true, withFileTypes: true });
    return { files: entries.filter((entry) => entry.isFile()).length };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
