import { randomBytes } from 'node:crypto';
import { clientWithCookie, signedUpWithToken, tampered, withBearer } from './credentials.ts';
import { api } from './endpoints.ts';
import { signOutGraceMs } from './journey.ts';
import { check, type ApiScenario } from './scenario.ts';

/** Replicas behind a load balancer: enough consecutive requests to reach each of them. */
const everyReplica = 4;

/**
 * Waits out the longest a sign-out may need to reach every replica (at once
 * through Redis; SESSION_CACHE_SECONDS where it cannot travel): from then on
 * the old credentials must be refused everywhere.
 */
async function signOutReachedEveryReplica(signedOutAt: number): Promise<void> {
  const left = signedOutAt + signOutGraceMs - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/**
 * Only credentials the API issued, unaltered and not signed out, get in: a
 * cookie or bearer token with a changed signature, a token without its
 * signature, a made-up one, and those of a signed-out session (the realistic
 * expired one: the session is gone) are all 401, through REST and MCP.
 */
export const forgedCredentialsRefused: ApiScenario = {
  name: 'forged, tampered and signed-out credentials are refused',
  async run(run) {
    const { user, account, cookie, token } = await signedUpWithToken(run, 'sign up');
    const scripted = run.client();

    await run.step('the session cookie and the bearer token both get in', async () => {
      await user.send(api.listTasks());
      await scripted.send(withBearer(api.listTasks(), token));
    });

    await run.step('a session cookie with a changed signature: 401', async () => {
      const forger = clientWithCookie(run, cookie.name, tampered(cookie.value));
      await forger.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
      await forger.refused(api.createTask({ title: 'sneaked in' }), 401, 'UNAUTHENTICATED');
    });

    const unsigned = token.slice(0, token.lastIndexOf('.'));
    const forgedTokens: [string, string][] = [
      ['a changed signature', tampered(token)],
      ['no signature (the bare session token)', unsigned],
      [
        'a made-up token',
        `${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      ],
    ];
    for (const [what, forged] of forgedTokens) {
      await run.step(`a bearer token with ${what}: 401, through REST and MCP`, async () => {
        await scripted.refused(withBearer(api.listTasks(), forged), 401, 'UNAUTHENTICATED');
        await scripted.refused(
          withBearer(api.createTask({ title: 'sneaked in' }), forged),
          401,
          'UNAUTHENTICATED',
        );
        await scripted.refused(withBearer(api.mcpTool('list_tasks', {}), forged), 401, 'UNAUTHENTICATED');
      });
    }

    await run.step(
      `sign out: the old cookie and token are refused on every replica (after ${signOutGraceMs / 1000} s)`,
      async () => {
        const stolenCookie = clientWithCookie(run, cookie.name, cookie.value);
        await user.send(api.signOut());
        const signedOutAt = performance.now();
        await user.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
        await signOutReachedEveryReplica(signedOutAt);
        for (let i = 0; i < everyReplica; i++) {
          await stolenCookie.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
          await scripted.refused(withBearer(api.listTasks(), token), 401, 'UNAUTHENTICATED');
          await scripted.refused(withBearer(api.mcpTool('list_tasks', {}), token), 401, 'UNAUTHENTICATED');
        }
      },
    );

    await run.step('signed in again: the refused requests created nothing', async () => {
      const again = run.client();
      await again.send(api.signIn(account.email, account.password));
      const { items } = await again.send(api.listTasks());
      check(
        items.length === 0,
        `the account has ${items.length} task(s): ${items.map((t) => t.title).join(', ')}`,
      );
    });
  },
};
