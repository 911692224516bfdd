// The one file that speaks better-auth's API, so a major upgrade is fixed here.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { kyselyAdapter } from '@better-auth/kysely-adapter';
import type { BetterAuthOptions } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
// The minimal entry leaves out better-auth's schema generator (our migrations
// own the schema) and starts faster; the adapter is given explicitly instead.
import { betterAuth } from 'better-auth/minimal';
import { verifyPassword as verifyScrypt } from 'better-auth/crypto';
import { bearer } from 'better-auth/plugins/bearer';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { LegacyFormat, Passwords } from '../passwords/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import { tokenDigest, type SessionRevocations } from './revocations.ts';
import { SessionMemo } from './session-memo.ts';
import { accountKey, type SignInGuard } from './sign-in-guard.ts';
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
  /** Whether a Cookie header carries a session cookie at all (valid or not). A Bearer token is not a cookie. */
  hasSessionCookie(cookie: string | undefined): boolean;
}

export interface AuthDeps {
  config: Config;
  /** A pool of its own, so sign-ups and sign-ins never wait behind task queries. */
  pool: pg.Pool;
  passwords: Passwords;
  limiter: RateLimiter;
  signInGuard: SignInGuard;
  /** Session cache in front of Postgres; must never throw (see session-cache.ts). */
  sessionCache: SecondaryStorage | undefined;
  /** Session deletions told to every replica (Redis pub/sub); without it, a replica trusts what it verified for SESSION_CACHE_SECONDS only. */
  revocations?: SessionRevocations | undefined;
  logger: Logger;
}

/** better-auth's default password hash (scrypt N=16384, r=16, p=1, salt:key in hex): read, no longer written. */
export const betterAuthScrypt: LegacyFormat = {
  verify: (hash, password) => verifyScrypt({ hash, password }),
};

/**
 * Per request to better-auth: a sign-up's password hashed before its
 * transaction begins (better-auth hashes inside it, holding a pool connection
 * for the whole hash otherwise).
 */
const requestScope = new AsyncLocalStorage<{ prehashed?: { password: string; hash: string } }>();

const refusalMessages = {
  'account-address':
    'Too many failed sign-ins to this account from this address; wait and try again, or sign in from another network.',
  address: 'Too many failed sign-ins from this address; wait and try again.',
  account:
    'This account is seeing many failed sign-ins; sign in from a device you used before, or wait and try again.',
} as const;
/** How long a device that signed in stays known to the account (the sign-in guard's backstop). */
const deviceCookieSeconds = 90 * 24 * 60 * 60;

/** Header carrying the client address that Fastify resolved (trust-proxy aware). */
export const clientIpHeader = 'x-client-ip';
const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' };

/** Fields that are stored as text (so not passwords, which are only hashed), holding U+0000. */
function fieldsWithNul(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body)
    .filter(
      ([field, value]) => !/password/i.test(field) && typeof value === 'string' && value.includes('\u0000'),
    )
    .map(([field]) => field);
}

export function createAuth({
  config,
  pool,
  passwords,
  limiter,
  signInGuard,
  sessionCache,
  revocations,
  logger,
}: AuthDeps): Auth {
  // Secure cookies exactly when users reach us over https; then better-auth reads
  // only the __Secure- cookie, and so must we.
  const secure = config.PUBLIC_URL.startsWith('https://');
  const sessionCookie = `${secure ? '__Secure-' : ''}todo.session_token`;
  // Verified sessions are trusted for long while every replica hears of every
  // deletion at once (revocations.ts), for a few seconds when it might not.
  const memo = new SessionMemo<SignedIn & { userId: string; sessionToken: string; expiresAt: number }>(
    {
      shortMs: config.SESSION_CACHE_SECONDS * 1000,
      longMs: revocations ? config.SESSION_CACHE_SYNCED_SECONDS * 1000 : config.SESSION_CACHE_SECONDS * 1000,
      coveredSince: (now) => revocations?.coveredSince(now),
    },
    10_000,
    tokenDigest,
  );
  revocations?.onRevoked((digest) => {
    memo.forgetDigest(digest);
  });
  const authRule = { window: config.RATE_LIMIT_AUTH_WINDOW_SECONDS, max: config.RATE_LIMIT_AUTH_MAX };
  /** The account a sign-in names, as better-auth itself parsed it, and the address it came from. */
  const signInAttempt = (body: unknown, headers: Headers | undefined) => {
    const email = (body as { email?: unknown } | undefined)?.email;
    const address = headers?.get(clientIpHeader);
    return typeof email === 'string' && address ? { email, address } : undefined;
  };

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
    // Sign-in answers carry the session token in set-auth-token, for clients
    // that cannot keep cookies (MCP agents): they send it as a Bearer token.
    plugins: [bearer({ requireSignature: true })],
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      password: {
        hash: async (password) => {
          const scope = requestScope.getStore();
          if (scope?.prehashed?.password === password) {
            const { hash } = scope.prehashed;
            scope.prehashed = undefined;
            return hash;
          }
          return passwords.hash(password);
        },
        verify: ({ hash, password }) => passwords.verify(hash, password),
      },
    },
    user: { modelName: 'users', fields: { emailVerified: 'email_verified', ...timestamps } },
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
    // Every session deleted through this replica (sign-out, revocation, either
    // one or all of a user's) is forgotten here at once.
    databaseHooks: {
      session: {
        delete: {
          after: async (session) => {
            memo.forgetSession(session.token);
            await revocations?.revoke(session.token);
          },
        },
      },
    },
    // Password guessing is refused per (account, address) and per address
    // (sign-in-guard.ts), on the email as better-auth parsed it: a stranger
    // cannot lock the owner out. Refusals answer 429 with Retry-After.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const nul = fieldsWithNul(ctx.body);
        if (nul.length > 0) {
          throw new APIError('BAD_REQUEST', {
            code: 'VALIDATION_FAILED',
            message: 'The request is invalid; see fields.',
            fields: Object.fromEntries(
              nul.map((field) => [field, 'must not contain NUL characters (U+0000)']),
            ),
          });
        }
        if (ctx.path === '/sign-up/email') {
          const password = (ctx.body as { password?: unknown } | undefined)?.password;
          const scope = requestScope.getStore();
          // Only a password better-auth will accept; it checks the length again itself.
          if (scope && typeof password === 'string' && password.length >= 8 && password.length <= 128) {
            scope.prehashed = { password, hash: await passwords.hash(password) };
          }
          return;
        }
        const attempt = ctx.path === '/sign-in/email' ? signInAttempt(ctx.body, ctx.headers) : undefined;
        if (!attempt) return;
        const device = ctx.context.createAuthCookie('device');
        const knownDevice =
          (await ctx.getSignedCookie(device.name, ctx.context.secret)) === accountKey(attempt.email);
        const admission = await signInGuard.admit(attempt.email, attempt.address, knownDevice);
        if (!admission.admitted) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            {
              code: 'RATE_LIMITED',
              message: refusalMessages[admission.scope],
            },
            { 'retry-after': String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const attempt = ctx.path === '/sign-in/email' ? signInAttempt(ctx.body, ctx.headers) : undefined;
        if (!attempt) return;
        if (ctx.context.newSession) {
          // Clearing the failure counts need not hold up the answer.
          void signInGuard.succeeded(attempt.email, attempt.address);
          // This device may try even while the account as a whole is being guessed at.
          const device = ctx.context.createAuthCookie('device', { maxAge: deviceCookieSeconds });
          await ctx.setSignedCookie(
            device.name,
            accountKey(attempt.email),
            ctx.context.secret,
            device.attributes,
          );
        } else if (isAPIError(ctx.context.returned) && ctx.context.returned.statusCode === 401)
          await signInGuard.failed(attempt.email, attempt.address);
      }),
    },
    rateLimit: {
      enabled: true,
      window: authRule.window,
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
      cookiePrefix: 'todo',
      useSecureCookies: secure,
      // A user and their accounts (sign-in), a session and its user (a session
      // not cached yet) in one query each instead of two round trips.
      database: { generateId: 'uuid', joins: true },
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

  const sessionCookieValue = (cookie: string | null | undefined): string | undefined => {
    if (!cookie) return undefined;
    for (const part of cookie.split(';')) {
      const separator = part.indexOf('=');
      if (separator > 0 && part.slice(0, separator).trim() === sessionCookie) {
        return part.slice(separator + 1).trim() || undefined;
      }
    }
    return undefined;
  };

  return {
    handle: (request) => requestScope.run({}, () => auth.handler(request)),
    async session(headers) {
      // The session token as a cookie, or as `Authorization: Bearer <signed token>`.
      const bearerToken = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      const fromCookie = sessionCookieValue(headers.cookie);
      // As a cookie carries it: URL-encoded (the signature may hold "=", "+" or "/").
      const fromBearer =
        bearerToken && (bearerToken.includes('%') ? bearerToken : encodeURIComponent(bearerToken));
      const cookieValue = fromCookie ?? fromBearer;
      if (!cookieValue) return null;
      if (!fromCookie) {
        const { authorization: _bearer, ...rest } = headers;
        headers = { ...rest, cookie: `${sessionCookie}=${cookieValue}` };
      }
      const remembered = memo.get(cookieValue);
      if (remembered) return remembered;
      const generation = memo.generation();
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
      memo.remember(
        cookieValue,
        {
          ...signedIn,
          setCookies: [],
          userId: signedIn.user.id,
          sessionToken: response.session.token,
          expiresAt: response.session.expiresAt.getTime(),
        },
        generation,
      );
      return signedIn;
    },
    hasSessionCookie: (cookie) => sessionCookieValue(cookie) !== undefined,
  };
}
