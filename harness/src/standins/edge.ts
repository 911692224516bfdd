// A platform's edge in front of a service: one stable address on 127.0.0.1
// that forwards each request to the replicas of the deployment live now,
// switched only when a new one is healthy.
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': incoming.socket.remoteAddress ?? '',
          'x-forwarded-proto': 'http',
          'x-forwarded-host': incoming.headers.host ?? '',
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    proxied.on('error', () => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'application/json' });
        outgoing.end(
          JSON.stringify({ status: 'error', message: `${options.name}: the application failed to respond` }),
        );
      } else outgoing.destroy();
    });
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) proxied.destroy();
    });
    incoming.pipe(proxied);
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
