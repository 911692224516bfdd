// /metrics on a port of its own (METRICS_PORT): reachable by a scraper on the
// private network (Railway's, a cluster's) while the public port does not
// answer it. Nothing else is served there.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exposition } from './plugin.ts';

export async function startMetricsServer(
  exposition: Exposition,
  { host, port }: { host: string; port: number },
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    if (!exposition.authorized(request.headers.authorization)) {
      response
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    exposition.render().then(
      (text) => {
        response.writeHead(200, { 'content-type': exposition.contentType }).end(text);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected.\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
