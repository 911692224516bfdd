import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientIpHeader, type Auth } from './better-auth.ts';
import { toWebHeaders } from './web.ts';

/**
 * Mounts better-auth under /api/auth/*. The body is passed through as bytes, so
 * better-auth parses it exactly as sent. The client address Fastify resolved
 * (trust-proxy aware) replaces any the client claims, for better-auth's limits.
 */
export function authRoutes(
  app: FastifyInstance,
  { auth, publicUrl }: { auth: Auth; publicUrl: string },
): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      schema: { hide: true },
      // better-auth limits these itself, per address (RATE_LIMIT_AUTH_*): a
      // signed-out visitor's sign-ins must not count against the per-user API limit.
      config: { rateLimit: false },
      async handler(request: FastifyRequest, reply: FastifyReply) {
        const headers = toWebHeaders(request.headers);
        headers.set(clientIpHeader, request.ip);
        const body = request.method === 'POST' ? (request.body as Buffer | undefined) : undefined;
        const response = await auth.handle(
          new Request(new URL(request.url, publicUrl), { method: request.method, headers, body }),
        );
        return reply.send(response);
      },
    });
  });
}
