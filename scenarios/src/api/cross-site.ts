import { randomUUID } from 'node:crypto';
import type { Answer, ApiRequest } from './client.ts';
import { signedUpWithToken, withBearer } from './credentials.ts';
import { api } from './endpoints.ts';
import { check, checkTitles, type ApiScenario } from './scenario.ts';

/** Another site, whose pages a signed-in user might visit. */
const foreignOrigin = 'https://attacker.example';

/** How a page on another site (or no page) would send a cookie-authenticated write. */
const fromElsewhere: [string, Pick<ApiRequest, 'origin' | 'headers'>][] = [
  ['no Origin and no Referer', { origin: null }],
  ['a foreign Origin', { origin: foreignOrigin }],
  ['Origin "null" (a sandboxed page)', { origin: 'null' }],
  ['no Origin and a foreign Referer', { origin: null, headers: { referer: `${foreignOrigin}/page` } }],
];

/** A CORS preflight, as a browser sends it before a cross-origin JSON write. */
const preflight = (origin: string): ApiRequest => ({
  group: 'tasks:create',
  method: 'OPTIONS',
  path: '/api/tasks',
  status: 204,
  origin,
  headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});

/** The CORS headers that would let another site's page read the answer (with cookies). */
function allowed(answer: Answer<unknown>): string {
  return ['access-control-allow-origin', 'access-control-allow-credentials']
    .map((name) => `${name}: ${answer.headers.get(name) ?? '-'}`)
    .join(', ');
}

/**
 * A page on another site cannot act with the user's cookie: writes without a
 * trusted Origin (or Referer) are refused, a bearer token (never sent by a
 * browser on its own) needs none, and CORS lets no other site read an answer.
 */
export const crossSiteRefused: ApiScenario = {
  name: 'requests from other sites are refused (CSRF, CORS)',
  async run(run) {
    const { user, token } = await signedUpWithToken(run, 'sign up');
    const task = await run.step('create a task from the app', () =>
      user.send(api.createTask({ title: 'keep me' })),
    );

    for (const [how, from] of fromElsewhere) {
      await run.step(`cookie writes with ${how}: 403`, async () => {
        const writes: ApiRequest[] = [
          api.createTask({ title: 'forged' }),
          api.updateTask(task.id, { title: 'forged', version: task.version }),
          api.completeTask(task.id),
          api.deleteTask(task.id),
          api.chat(randomUUID(), 'add forged'),
          api.mcpTool('create_task', { title: 'forged' }),
        ];
        for (const write of writes) await user.refused({ ...write, ...from }, 403, 'FORBIDDEN_ORIGIN');
      });
    }

    await run.step('the refused writes changed nothing', async () => {
      const { items } = await user.send(api.listTasks());
      checkTitles(items, ['keep me'], 'tasks after the forged writes');
      const [kept] = items;
      check(kept?.status === 'open', `the task is ${kept?.status}, not open`);
      check(kept.version === task.version, `the task's version moved to ${kept.version}`);
    });

    await run.step(
      'a bearer-token write needs no Origin: a browser never sends the token by itself',
      async () => {
        const scripted = run.client();
        await scripted.send({
          ...withBearer(api.createTask({ title: 'from a script' }), token),
          origin: null,
        });
        const { items } = await user.send(api.listTasks());
        checkTitles(items, ['keep me', 'from a script'], 'tasks after the scripted write');
      },
    );

    await run.step('CORS: another site gets no Access-Control-Allow-Origin', async () => {
      const answer = await run.client().attempt(preflight(foreignOrigin), [200, 204, 400, 403, 404]);
      // Without Access-Control-Allow-Origin a browser lets the page read nothing (Allow-Credentials alone grants nothing).
      check(
        !answer.headers.has('access-control-allow-origin'),
        `the preflight from ${foreignOrigin} was answered with ${allowed(answer)}`,
      );
      const read = await user.answer({ ...api.listTasks(), origin: foreignOrigin });
      check(
        !read.headers.has('access-control-allow-origin'),
        `a read with Origin ${foreignOrigin} was answered with ${allowed(read)}: that site could read the tasks`,
      );
    });
  },
};
