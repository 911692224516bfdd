// The one file that speaks better-auth's client API, so a major upgrade is fixed here.
import { createAuthClient } from 'better-auth/client';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

export type AuthField = 'name' | 'email' | 'password';

/** A refused sign-in or sign-up, with the field it concerns when there is one. */
export class AuthError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: AuthField | undefined;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
    this.code = code;
    this.field = fieldOf(code, message);
  }
}

/** Which input an error from the API is about, from its code (or, for schema errors, its message). */
export function fieldOf(code: string, message: string): AuthField | undefined {
  if (code === 'INVALID_EMAIL_OR_PASSWORD') return undefined; // deliberately vague: no field
  if (code.includes('PASSWORD')) return 'password';
  if (code.includes('EMAIL') || code.startsWith('USER_ALREADY_EXISTS')) return 'email';
  const named = /\b(name|email|password)\b/i.exec(message)?.[1]?.toLowerCase();
  return named as AuthField | undefined;
}

const friendly: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: 'That email and password do not match an account.',
  USER_ALREADY_EXISTS: 'An account with this email already exists. Sign in instead?',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'An account with this email already exists. Sign in instead?',
  INVALID_EMAIL: 'Enter a valid email address.',
  PASSWORD_TOO_SHORT: 'Use at least 8 characters.',
  PASSWORD_TOO_LONG: 'Use at most 128 characters.',
};

function toAuthError(error: {
  status: number;
  code?: string | undefined;
  message?: string | undefined;
}): AuthError {
  const code = error.code ?? (error.status === 429 ? 'RATE_LIMITED' : `HTTP_${error.status}`);
  const message =
    friendly[code] ??
    (error.status === 429
      ? (error.message ?? 'Too many attempts; wait a minute and try again.')
      : error.status >= 500 || error.status === 0
        ? 'The server could not be reached or had a problem; try again shortly.'
        : (error.message ?? 'That did not work; check the form and try again.'));
  return new AuthError(error.status, code, message);
}

export interface AuthService {
  /** The signed-in user, or null. */
  currentUser: () => Promise<AuthUser | null>;
  signIn: (input: { email: string; password: string }) => Promise<AuthUser>;
  signUp: (input: { name: string; email: string; password: string }) => Promise<AuthUser>;
  signOut: () => Promise<void>;
}

function userOf(data: { user: { id: string; email: string; name: string } } | null | undefined): AuthUser {
  if (!data?.user) throw new AuthError(500, 'NO_USER', 'The server answered without a user; try again.');
  const { id, email, name } = data.user;
  return { id, email, name };
}

/** better-auth's client over the API's /api/auth, same origin. */
export function createAuthService(options: { fetch?: typeof fetch; origin?: string } = {}): AuthService {
  const client = createAuthClient({
    baseURL: `${options.origin ?? window.location.origin}/api/auth`,
    fetchOptions: options.fetch ? { customFetchImpl: options.fetch } : {},
  });
  const call = async <T>(
    run: () => Promise<{
      data: T | null;
      error: { status: number; code?: string | undefined; message?: string | undefined } | null;
    }>,
  ): Promise<T | null> => {
    let result;
    try {
      result = await run();
    } catch {
      throw toAuthError({ status: 0 });
    }
    if (result.error) throw toAuthError(result.error);
    return result.data;
  };

  return {
    async currentUser() {
      const data = await call(() => client.getSession());
      return data ? userOf(data) : null;
    },
    async signIn(input) {
      return userOf(await call(() => client.signIn.email(input)));
    },
    async signUp(input) {
      return userOf(await call(() => client.signUp.email(input)));
    },
    async signOut() {
      await call(() => client.signOut());
    },
  };
}
