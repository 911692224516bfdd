import { api, newAccount } from './endpoints.ts';
import { check, type ApiScenario } from './scenario.ts';
import { errorBody, describeAnswer, type Answer } from './client.ts';

// Enough to tell "locks late" from "never locks" when the limit is misconfigured.
const maxAttempts = 20;

/** The lockout answers with our error code and Retry-After; better-auth's per-address limit does not. */
function checkLockout(answer: Answer<unknown>, attempt: number): void {
  check(
    errorBody(answer.body).code === 'RATE_LIMITED',
    `attempt ${attempt} got ${describeAnswer(answer)}: that is the per-address limit, not the account ` +
      'lockout (raise RATE_LIMIT_AUTH_MAX for this run)',
  );
  const retryAfter = Number(answer.headers.get('retry-after'));
  check(retryAfter > 0, `the lockout says no Retry-After (got "${answer.headers.get('retry-after')}")`);
}

/**
 * Password guessing against one account is stopped for the guessing address;
 * the owner signing in from elsewhere, and other accounts, are not affected.
 */
export const signInLockout: ApiScenario = {
  name: 'repeated bad sign-ins are rate-limited',
  async run(run) {
    const max = run.signInFailuresMax;
    const { account } = await run.signedUpUser('sign up the account');
    const guesser = run.client();

    const lockedAt = await run.step(
      `wrong passwords: 401, then 429 by attempt ${max + 1} (RATE_LIMIT_SIGNIN_FAILURES_MAX=${max})`,
      async () => {
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const answer = await guesser.attempt(
            api.signIn(account.email, `wrong guess ${attempt}`),
            [401, 429],
          );
          if (answer.status === 401) continue;
          check(attempt > 1, 'the first wrong password already locked the account');
          checkLockout(answer, attempt);
          check(
            attempt <= max + 1,
            `the account locked only at attempt ${attempt}, after ${attempt - 1} wrong passwords ` +
              `(expected after at most ${max})`,
          );
          return attempt;
        }
        throw new Error(
          `${maxAttempts} wrong passwords in a row were all answered 401: the account never locked`,
        );
      },
    );

    await run.step(
      `the right password from the guessing address is refused too (locked at attempt ${lockedAt})`,
      async () => {
        const fromThere = run.client();
        const answer = await fromThere.attempt(api.signIn(account.email, account.password), [429]);
        checkLockout(answer, lockedAt + 1);
        check(!fromThere.hasCookies, 'the refused sign-in still set a session cookie');
      },
    );

    await run.step(
      'the owner signs in from another address meanwhile: the stranger locked no one out',
      async () => {
        const owner = run.clientFromAnotherAddress();
        const signedIn = await owner.send(api.signIn(account.email, account.password));
        check(
          signedIn.user.email === account.email,
          `signed in as ${signedIn.user.email}, not ${account.email}`,
        );
        check(owner.hasCookies, 'the owner’s sign-in set no session cookie');
        await owner.send(api.listTasks());
      },
    );

    await run.step('another account still signs in from the same address', async () => {
      const other = newAccount();
      await run.client().send(api.signUp(other));
      const signedIn = await run.client().send(api.signIn(other.email, other.password));
      check(signedIn.user.email === other.email, `signed in as ${signedIn.user.email}, not ${other.email}`);
    });
  },
};
