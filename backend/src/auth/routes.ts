import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import { clientIpHeader, type Auth } from './better-auth.ts';
import { toWebHeaders } from './web.ts';

export interface AuthRoutesOptions {
  auth: Auth;
  limiter: RateLimiter;
  publicUrl: string;
  /** Failed sign-ins per email before further attempts are refused, and the window. */
  signInFailures: { max: number; windowSeconds: number };
}

function emailOf(body: Buffer | undefined, contentType: string | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  try {
    const value: unknown = contentType?.includes('application/x-www-form-urlencoded')
      ? new URLSearchParams(body.toString('utf8')).get('email')
      : (JSON.parse(body.toString('utf8')) as { email?: unknown }).email;
    return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Mounts better-auth under /api/auth/*. The body is passed through as bytes, so
 * JSON and form posts both reach better-auth as sent. Besides better-auth's
 * per-address limits, sign-in is refused for an email after repeated failures,
 * which holds however many addresses an attacker uses.
 */
export function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): void {
  const { auth, limiter, publicUrl, signInFailures } = options;
  const windowMs = signInFailures.windowSeconds * 1000;

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      schema: { hide: true },
      async handler(request: FastifyRequest, reply: FastifyReply) {
        const headers = toWebHeaders(request.headers);
        headers.set(clientIpHeader, request.ip);
        const body = request.method === 'POST' ? (request.body as Buffer | undefined) : undefined;

        const isSignIn = request.method === 'POST' && request.url.split('?')[0] === '/api/auth/sign-in/email';
        const email = isSignIn ? emailOf(body, request.headers['content-type']) : undefined;
        const failureKey = email ? `signin-failures:${email}` : undefined;
        // The attempt counts as a failure before it is made (one atomic increment),
        // so a burst of concurrent guesses cannot all slip under the limit; a
        // successful sign-in clears the count.
        if (failureKey) {
          const { count, ttlMs } = await limiter.hit(failureKey, windowMs);
          if (count > signInFailures.max) {
            void reply.header('retry-after', String(Math.max(1, Math.ceil(ttlMs / 1000))));
            throw new AppError('RATE_LIMITED', {
              message: 'Too many failed sign-ins for this account; wait and try again.',
            });
          }
        }

        const response = await auth.handle(
          new Request(new URL(request.url, publicUrl), { method: request.method, headers, body }),
        );

        if (failureKey && response.ok) await limiter.reset(failureKey);
        if (response.status >= 500) request.log.error({ status: response.status }, 'auth endpoint failed');
        return reply.send(response);
      },
    });
  });
}
