import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on SIGTERM when SHUTDOWN_DRAIN_MS > 0: /health fails so load balancers move away; requests are still served. */
    draining: boolean;
  }
}

/**
 * Shutdown that drains: once close() starts, the listener stops accepting,
 * in-flight requests finish, and keep-alive sockets are closed as soon as they
 * go idle (Fastify otherwise waits for keepAliveTimeout on them:
 * fastify/fastify#7044).
 */
export function drainOnClose(app: FastifyInstance): void {
  app.decorate('draining', false);
  let closing = false;
  let sweeper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    sweeper = setInterval(() => {
      app.server.closeIdleConnections();
    }, 100);
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Draining or closing: no connection is kept for a next request that should go elsewhere.
    if (closing || app.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
  });
}
