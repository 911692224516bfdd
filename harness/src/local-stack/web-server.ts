import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { forward } from '../forward/index.ts';

export interface WebServer extends AsyncDisposable {
  url: string;
  close(): Promise<void>;
}

/**
 * What the reverse proxy does, for a stack without it: the SPA's files (with
 * index.html for every client-side route) and /api/* streamed to the backend,
 * same origin. Streaming matters: the assistant answers with server-sent events.
 */
export async function startWebServer(options: {
  /** The SPA's files; without it only /api/* is served. */
  root: string | undefined;
  backendUrl: string;
  port: number;
}): Promise<WebServer> {
  const backend = new URL(options.backendUrl);
  const files = options.root
    ? sirv(options.root, { single: true, etag: true, gzip: false, brotli: false })
    : (_: IncomingMessage, outgoing: ServerResponse) => {
        outgoing.writeHead(404, { 'content-type': 'text/plain' }).end('This stack serves the API only.');
      };

  const proxy = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    forward(incoming, outgoing, {
      target: backend,
      proto: 'http',
      unreachable: {
        contentType: 'application/json',
        body: JSON.stringify({ code: 'BAD_GATEWAY', message: 'The backend did not answer.' }),
      },
    });
  };

  const server: Server = createServer(
    // Node closes an idle connection after 5 s by default; a client coming back
    // after 6 s (a scenario waiting out a sign-out) could reuse a socket closing
    // under it (ECONNRESET). As long as the backend keeps its own (Fastify: 72 s).
    { keepAliveTimeout: 72_000 },
    (incoming, outgoing) => {
      if (incoming.url?.startsWith('/api/') || incoming.url === '/api') proxy(incoming, outgoing);
      else files(incoming, outgoing);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
