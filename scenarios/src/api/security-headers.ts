import { randomUUID } from 'node:crypto';
import type { Answer, ApiClient, ApiRequest } from './client.ts';
import { api } from './endpoints.ts';
import { check, type ApiScenario } from './scenario.ts';

/** A year: what browsers' HSTS preload lists ask for. */
const hstsMinSeconds = 31_536_000;

/** The security headers a user's browser relies on, missing or too weak in this answer. */
function missingHeaders(answer: Answer<unknown>, https: boolean): string[] {
  const csp = answer.headers.get('content-security-policy') ?? '';
  const hsts = answer.headers.get('strict-transport-security') ?? '';
  const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
  return [
    !/(?:^|;)\s*default-src /.test(csp) && `a Content-Security-Policy with default-src (got "${csp}")`,
    !/(?:^|;)\s*frame-ancestors 'none'/.test(csp) &&
      "CSP frame-ancestors 'none' (no framing, no clickjacking)",
    answer.headers.get('x-content-type-options') !== 'nosniff' && 'X-Content-Type-Options: nosniff',
    https && maxAge < hstsMinSeconds && `Strict-Transport-Security max-age of a year (got "${hsts}")`,
  ].filter((problem): problem is string => typeof problem === 'string');
}

/** The app's own script or style, as index.html names it. */
function assetPath(page: unknown): string {
  const path = /(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/.exec(String(page))?.[1];
  check(path, 'the page names no /assets/ script or style');
  return path;
}

/**
 * Every kind of answer carries the headers that keep a browser safe: pages
 * and static files of the app, the API's data, its document and its errors.
 */
export const securityHeadersEverywhere: ApiScenario = {
  name: 'every answer carries the security headers',
  async run(run) {
    const https = new URL(run.baseUrl).protocol === 'https:';
    const expected = `CSP with frame-ancestors, nosniff${https ? ', HSTS' : ''}`;
    const { user } = await run.signedUpUser('sign up');
    const stranger = run.client();
    const checked = async (client: ApiClient, request: ApiRequest, status = request.status) => {
      const answer = await client.attempt(request, [status]);
      const missing = missingHeaders(answer, https);
      check(
        missing.length === 0,
        `${request.method} ${request.path} (${answer.status}) lacks ${missing.join('; ')}`,
      );
      return answer;
    };

    const page = await run.step(`the app's page (/): ${expected}`, () =>
      checked(stranger, api.get('page', '/')),
    );
    await run.step(`a client-side route (/sign-in): ${expected}`, () =>
      checked(stranger, api.get('page', '/sign-in')),
    );
    await run.step(`a static file of the app: ${expected}`, () =>
      checked(stranger, api.get('asset', assetPath(page.body))),
    );
    await run.step(`the API's document (/api/openapi.json): ${expected}`, () =>
      checked(stranger, api.get('openapi', '/api/openapi.json')),
    );
    await run.step(`the task list, signed in: ${expected}`, () => checked(user, api.listTasks()));
    await run.step(`error answers (401, 404): ${expected}`, async () => {
      await checked(stranger, api.listTasks(), 401);
      await checked(user, api.getTask(randomUUID()), 404);
      await checked(user, api.get('api', `/api/no-such-route-${randomUUID()}`), 404);
    });
  },
};
