// A signed-up user's credentials as a client holds them: the session cookie the
// browser keeps, and the bearer token (set-auth-token) a scripted client sends.
import { ApiClient, type ApiRequest } from './client.ts';
import { CookieJar } from './cookie-jar.ts';
import { api, newAccount, type Account } from './endpoints.ts';
import { check, type ScenarioRun } from './scenario.ts';

export interface Credentials {
  /** A client holding the session cookie (and sending the stack's own Origin). */
  user: ApiClient;
  account: Account;
  userId: string;
  /** The session cookie, by name: `todo.session_token`, `__Secure-` before it over HTTPS. */
  cookie: { name: string; value: string };
  /** What `Authorization: Bearer` takes: the signed session token. */
  token: string;
}

/** A step that signs up a new account and keeps both ways of being it. */
export async function signedUpWithToken(run: ScenarioRun, stepName: string): Promise<Credentials> {
  return run.step(stepName, async () => {
    const account = newAccount();
    const user = run.client();
    const answer = await user.answer(api.signUp(account));
    const token = answer.headers.get('set-auth-token');
    check(token, 'sign-up gave no set-auth-token header: a scripted client has no token to send');
    const cookie = answer.headers
      .getSetCookie()
      .map((line) => /^((?:__Secure-)?todo\.session_token)=([^;]+)/.exec(line))
      .find(Boolean);
    check(cookie?.[1] && cookie[2], 'sign-up set no session cookie');
    return {
      user,
      account,
      userId: answer.body.user.id,
      cookie: { name: cookie[1], value: cookie[2] },
      token,
    };
  });
}

/** The same request with `Authorization: Bearer <token>`. */
export function withBearer<T>(request: ApiRequest<T>, token: string): ApiRequest<T> {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/** A signed value (`<token>.<signature>`) with one letter of its signature changed. */
export function tampered(signed: string): string {
  const dot = signed.lastIndexOf('.');
  const at = signed.slice(dot + 1).search(/[A-Za-z0-9]/) + dot + 1;
  check(dot > 0 && at > dot, `"${signed.slice(0, 12)}…" is not a signed value (<token>.<signature>)`);
  const letter = signed[at] === 'A' ? 'B' : 'A';
  return signed.slice(0, at) + letter + signed.slice(at + 1);
}

/** A browser holding only this cookie (a copied, forged or old one). */
export function clientWithCookie(run: ScenarioRun, name: string, value: string): ApiClient {
  return new ApiClient(run, new CookieJar([[name, value]]));
}
