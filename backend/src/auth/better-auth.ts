// The one file that speaks better-auth's API, so a major upgrade is fixed here.
import { kyselyAdapter } from '@better-auth/kysely-adapter';
import type { BetterAuthOptions } from 'better-auth';
// The minimal entry leaves out better-auth's schema generator (our migrations
// own the schema) and starts faster; the adapter is given explicitly instead.
import { betterAuth } from 'better-auth/minimal';
import { Kysely, PostgresDialect } from 'kysely';
import type { IncomingHttpHeaders } from 'node:http';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import { SessionMemo } from './session-memo.ts';
import { toWebHeaders } from './web.ts';

type SecondaryStorage = NonNullable<BetterAuthOptions['secondaryStorage']>;

export interface SignedIn {
  user: { id: string; email: string; name: string };
  session: { id: string; expiresAt: Date };
  /** Set-Cookie values to forward when better-auth refreshed the session. */
  setCookies: string[];
}

export interface Auth {
  /** better-auth's own endpoints under /api/auth/*, as a web Request → Response. */
  handle(request: Request): Promise<Response>;
  /** The signed-in user for these request headers, or null. Throws when storage fails. */
  session(headers: IncomingHttpHeaders): Promise<SignedIn | null>;
  /** Whether a Cookie header carries a session cookie at all (valid or not). */
  hasSessionCookie(cookie: string | undefined): boolean;
}

export interface AuthDeps {
  config: Config;
  /** A pool of its own: sign-up holds a transaction open while it hashes the password. */
  pool: pg.Pool;
  limiter: RateLimiter;
  /** Session cache in front of Postgres; must never throw (see session-cache.ts). */
  sessionCache: SecondaryStorage | undefined;
  logger: Logger;
}

/** Header carrying the client address that Fastify resolved (trust-proxy aware). */
export const clientIpHeader = 'x-client-ip';
const cookiePrefix = 'todo';
const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' };

export function createAuth({ config, pool, limiter, sessionCache, logger }: AuthDeps): Auth {
  const authWindow = config.RATE_LIMIT_AUTH_WINDOW_SECONDS;
  const authRule = { window: authWindow, max: config.RATE_LIMIT_AUTH_MAX };
  const auth = betterAuth({
    appName: 'Todo',
    baseURL: config.PUBLIC_URL,
    basePath: '/api/auth',
    secret: config.AUTH_SECRET,
    trustedOrigins: config.TRUSTED_ORIGINS,
    // Transactions on: sign-up writes the user and the account together.
    database: kyselyAdapter(new Kysely({ dialect: new PostgresDialect({ pool }) }), {
      type: 'postgres',
      transaction: true,
    }),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: {
      modelName: 'users',
      fields: { emailVerified: 'email_verified', ...timestamps },
    },
    session: {
      modelName: 'sessions',
      fields: {
        userId: 'user_id',
        expiresAt: 'expires_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        ...timestamps,
      },
      // Postgres is the record; Redis (when configured) only caches it.
      storeSessionInDatabase: true,
    },
    account: {
      modelName: 'accounts',
      fields: {
        userId: 'user_id',
        accountId: 'account_id',
        providerId: 'provider_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        ...timestamps,
      },
    },
    verification: {
      modelName: 'verifications',
      fields: { expiresAt: 'expires_at', ...timestamps },
      storeInDatabase: true,
    },
    ...(sessionCache ? { secondaryStorage: sessionCache } : {}),
    rateLimit: {
      enabled: true,
      window: authWindow,
      max: Math.max(config.RATE_LIMIT_AUTH_MAX * 10, 100),
      customRules: {
        '/sign-in/*': authRule,
        '/sign-up/*': authRule,
        '/change-password': authRule,
        '/change-email': authRule,
      },
      customStorage: {
        async consume(key, rule) {
          const { count, ttlMs } = await limiter.hit(`auth:${key}`, rule.window * 1000);
          return count <= rule.max
            ? { allowed: true, retryAfter: null }
            : { allowed: false, retryAfter: Math.ceil(ttlMs / 1000) };
        },
      },
    },
    advanced: {
      cookiePrefix,
      database: { generateId: 'uuid' },
      ipAddress: { ipAddressHeaders: [clientIpHeader] },
      // Explicit, so tests (NODE_ENV=test) exercise the same checks as production.
      disableCSRFCheck: false,
      disableOriginCheck: false,
    },
    // Unexpected errors (the database is down, ...) are rethrown to our error
    // handler, which answers 503/500 and logs them; better-auth's own API errors
    // (401, 422, ...) still come back as responses.
    onAPIError: { throw: true },
    logger: {
      log: (level, message, ...args) => {
        logger[level]({ args }, message);
      },
    },
  });

  const sessionCookieNames = new Set([
    `${cookiePrefix}.session_token`,
    `__Secure-${cookiePrefix}.session_token`,
  ]);
  const sessionToken = (cookie: string | null | undefined): string | undefined => {
    if (!cookie) return undefined;
    for (const part of cookie.split(';')) {
      const separator = part.indexOf('=');
      if (separator > 0 && sessionCookieNames.has(part.slice(0, separator).trim())) {
        return part.slice(separator + 1).trim() || undefined;
      }
    }
    return undefined;
  };
  const memo = new SessionMemo<SignedIn & { userId: string; expiresAt: number }>(
    config.SESSION_CACHE_SECONDS * 1000,
  );

  return {
    async handle(request) {
      // An auth write may end or replace sessions: forget what this replica remembers.
      const token = request.method === 'POST' ? sessionToken(request.headers.get('cookie')) : undefined;
      try {
        return await auth.handler(request);
      } finally {
        if (token) memo.forget(token);
      }
    },
    async session(headers) {
      const token = sessionToken(headers.cookie);
      if (!token) return null;
      const remembered = memo.get(token);
      if (remembered) return remembered;
      const { headers: responseHeaders, response } = await auth.api.getSession({
        headers: toWebHeaders(headers),
        returnHeaders: true,
      });
      if (!response) return null;
      const signedIn: SignedIn = {
        user: { id: response.user.id, email: response.user.email, name: response.user.name },
        session: { id: response.session.id, expiresAt: response.session.expiresAt },
        setCookies: responseHeaders.getSetCookie(),
      };
      const expiresAt = response.session.expiresAt.getTime();
      memo.remember(token, { ...signedIn, setCookies: [], userId: signedIn.user.id, expiresAt });
      return signedIn;
    },
    hasSessionCookie: (cookie) => sessionToken(cookie) !== undefined,
  };
}
