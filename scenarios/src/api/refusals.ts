import { randomUUID } from 'node:crypto';
import { ApiClient, type Transport } from './client.ts';
import { CookieJar } from './cookie-jar.ts';
import { api } from './endpoints.ts';
import { check, type ApiScenario } from './scenario.ts';

/** A client carrying a session cookie nobody issued, under both names the API may use. */
function forgedClient(transport: Transport): ApiClient {
  const token = `${randomUUID()}.forged-signature`;
  return new ApiClient(
    transport,
    new CookieJar([
      ['todo.session_token', token],
      ['__Secure-todo.session_token', token],
    ]),
  );
}

export const unauthenticatedRefused: ApiScenario = {
  name: 'unauthenticated requests are refused',
  async run(run) {
    const stranger = run.client();
    await run.step('list tasks without a session: 401', async () => {
      await stranger.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
    });
    await run.step('create a task without a session: 401', async () => {
      await stranger.refused(api.createTask({ title: 'sneaked in' }), 401, 'UNAUTHENTICATED');
    });
    await run.step('talk to the assistant without a session: 401', async () => {
      await stranger.refused(api.chat(randomUUID(), 'add sneaked in'), 401, 'UNAUTHENTICATED');
    });
    await run.step('a made-up session cookie: 401', async () => {
      const forger = forgedClient(run);
      await forger.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
      await forger.refused(api.createTask({ title: 'sneaked in' }), 401, 'UNAUTHENTICATED');
    });
  },
};

export const otherUsersTaskNotFound: ApiScenario = {
  name: "another user's task is not found",
  async run(run) {
    const { user: owner } = await run.signedUpUser('sign up the owner');
    const task = await run.step('the owner creates a task', () =>
      owner.send(api.createTask({ title: 'private plans', notes: 'only mine' })),
    );
    const { user: other } = await run.signedUpUser('sign up another user');

    await run.step('the other user cannot read it: 404', async () => {
      await other.refused(api.getTask(task.id), 404, 'TASK_NOT_FOUND');
      const { items } = await other.send(api.listTasks());
      check(!items.some((item) => item.id === task.id), "the owner's task is in the other user's list");
    });
    await run.step('the other user cannot change it: 404', async () => {
      const changes = { title: 'taken over', version: task.version };
      await other.refused(api.updateTask(task.id, changes), 404, 'TASK_NOT_FOUND');
      await other.refused(api.completeTask(task.id), 404, 'TASK_NOT_FOUND');
    });
    await run.step('the other user cannot delete it: 404', async () => {
      await other.refused(api.deleteTask(task.id), 404, 'TASK_NOT_FOUND');
    });
    await run.step("the owner's task is unchanged", async () => {
      const kept = await owner.send(api.getTask(task.id));
      check(
        kept.title === task.title &&
          kept.notes === task.notes &&
          kept.status === 'open' &&
          kept.version === task.version,
        `the task changed: was ${JSON.stringify(task)}, now ${JSON.stringify(kept)}`,
      );
    });
  },
};
