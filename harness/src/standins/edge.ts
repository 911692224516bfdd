// A platform's edge in front of a service: one stable address on 127.0.0.1
// that forwards each request to the replicas of the deployment live now,
// switched only when a new one is healthy.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from '../forward/index.ts';

export interface Edge extends AsyncDisposable {
  url: string;
  /** The replicas that serve from now on (empty: nothing is deployed). */
  route(upstreams: string[]): void;
  close(): Promise<void>;
}

export async function startEdge(options: { port?: number; name: string }): Promise<Edge> {
  let upstreams: URL[] = [];
  let turn = 0;
  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const upstream = upstreams[turn++ % Math.max(1, upstreams.length)];
    if (!upstream) {
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ status: 'error', message: `${options.name}: no deployment is live` }));
      return;
    }
    forward(incoming, outgoing, {
      target: upstream,
      proto: 'http',
      // The platform's router keeps what a CDN in front (Vercel's rewrite) said, adding its own hop.
      forwardedFor: 'append',
      unreachable: {
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'error',
          message: `${options.name}: the application failed to respond`,
        }),
      },
    });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    route: (next) => {
      upstreams = next.map((url) => new URL(url));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
