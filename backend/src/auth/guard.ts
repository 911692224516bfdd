import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.ts';
import type { Auth, SignedIn } from './better-auth.ts';

export type CurrentUser = SignedIn['user'];

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in user of a request that passed `requireUser`. */
export function userOf(request: FastifyRequest): CurrentUser {
  if (!request.user) throw new AppError('UNAUTHENTICATED');
  return request.user;
}

/**
 * preHandler for routes that need a signed-in user. Cookie-authenticated
 * requests that change state must come from a trusted Origin (Referer as a
 * fallback), the same rule better-auth applies to its own endpoints: this is
 * what stops cross-site request forgery. Scripted clients send `Origin`.
 */
export function requireUser(auth: Auth, trustedOrigins: readonly string[]) {
  const trusted = new Set(trustedOrigins);
  const originOf = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    if (origin && origin !== 'null') return origin;
    const referer = request.headers.referer;
    if (!referer) return undefined;
    try {
      return new URL(referer).origin;
    } catch {
      return undefined;
    }
  };

  return async function requireUserHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!safeMethods.has(request.method) && auth.hasSessionCookie(request.headers.cookie)) {
      const origin = originOf(request);
      if (!origin || !trusted.has(origin)) throw new AppError('FORBIDDEN_ORIGIN');
    }
    const signedIn = await auth.session(request.headers);
    if (!signedIn) throw new AppError('UNAUTHENTICATED');
    request.user = signedIn.user;
    for (const cookie of signedIn.setCookies) void reply.header('set-cookie', cookie);
  };
}
