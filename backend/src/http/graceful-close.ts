import type { FastifyInstance } from 'fastify';

/**
 * Shutdown that drains: once close() starts, the listener stops accepting,
 * in-flight requests finish, and keep-alive sockets are closed as soon as they
 * go idle (Fastify otherwise waits for keepAliveTimeout on them:
 * fastify/fastify#7044).
 */
export function drainOnClose(app: FastifyInstance): void {
  let closing = false;
  let sweeper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    sweeper = setInterval(() => {
      app.server.closeIdleConnections();
    }, 100);
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
  });
}
