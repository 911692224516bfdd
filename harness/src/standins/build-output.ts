// Serves a Vercel Build Output (v3) folder the way Vercel's edge does for the
// route kinds our config.json uses: `src` regexes with `dest` (a path, or an
// external URL to proxy to), `headers`, `status`, `continue`, and
// `{ "handle": "filesystem" }`; what is left is looked up in static/.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { forward } from '../forward/index.ts';

interface Route {
  src?: string;
  dest?: string;
  headers?: Record<string, string>;
  status?: number;
  continue?: boolean;
  handle?: string;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

export interface BuildOutput {
  handle(incoming: IncomingMessage, outgoing: ServerResponse): void;
}

/** Reads `<dir>/config.json`; refuses a folder that is not Build Output v3. */
export async function loadBuildOutput(dir: string): Promise<BuildOutput> {
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
    version?: number;
    routes?: Route[];
  };
  if (config.version !== 3) throw new Error(`config.json: version ${String(config.version)}, expected 3`);
  const routes = config.routes ?? [];
  const staticDir = join(dir, 'static');
  const fileFor = (path: string): string | undefined => {
    const relative = normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, '');
    const candidates = [join(staticDir, relative), join(staticDir, relative, 'index.html')];
    return candidates.find(
      (file) => file.startsWith(staticDir) && existsSync(file) && statSync(file).isFile(),
    );
  };

  const serveFile = (
    file: string,
    headers: Record<string, string>,
    status: number,
    outgoing: ServerResponse,
  ) => {
    outgoing.writeHead(status, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      ...headers,
    });
    createReadStream(file).pipe(outgoing);
  };

  const proxy = (
    target: URL,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    headers: Record<string, string>,
  ) => {
    forward(incoming, outgoing, {
      target,
      proto: 'https',
      targetHost: true,
      answerHeaders: headers,
      unreachable: {
        contentType: 'text/plain',
        body: 'An error occurred with this application: the external rewrite did not answer.',
      },
    });
  };

  return {
    handle(incoming, outgoing) {
      const url = new URL(incoming.url ?? '/', 'http://deployment');
      let path = url.pathname;
      const headers: Record<string, string> = {};
      for (const route of routes) {
        if (route.handle === 'filesystem') {
          const file = fileFor(path);
          if (file) {
            serveFile(file, headers, 200, outgoing);
            return;
          }
          continue;
        }
        if (!route.src) continue;
        const match = new RegExp(`^${route.src}$`).exec(path);
        if (!match) continue;
        Object.assign(headers, route.headers);
        if (route.dest) {
          const dest = route.dest.replace(/\$(\d+)/g, (_, n: string) => match[Number(n)] ?? '');
          if (/^https?:\/\//.test(dest)) {
            const target = new URL(dest);
            target.search = url.search;
            proxy(target, incoming, outgoing, headers);
            return;
          }
          path = dest;
        }
        if (route.status && !route.dest) {
          outgoing.writeHead(route.status, headers);
          outgoing.end();
          return;
        }
        if (!route.continue) {
          const file = fileFor(path);
          if (file) serveFile(file, headers, route.status ?? 200, outgoing);
          else {
            outgoing.writeHead(404, { 'content-type': 'text/plain', ...headers });
            outgoing.end('404: NOT_FOUND');
          }
          return;
        }
      }
      const file = fileFor(path);
      if (file) serveFile(file, headers, 200, outgoing);
      else {
        outgoing.writeHead(404, { 'content-type': 'text/plain' });
        outgoing.end('404: NOT_FOUND');
      }
    },
  };
}
