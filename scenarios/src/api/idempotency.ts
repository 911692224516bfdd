import { randomUUID } from 'node:crypto';
import { api } from './endpoints.ts';
import { check, checkTitles, type ApiScenario } from './scenario.ts';

/** A client that lost the answer retries with the same Idempotency-Key: one task, however often. */
export const idempotentCreate: ApiScenario = {
  name: 'idempotent create under retry',
  async run(run) {
    const { user } = await run.signedUpUser('sign up');
    const body = { title: 'renew passport', priority: 'high' };
    const key = randomUUID();

    const first = await run.step('create with an Idempotency-Key', () =>
      user.send(api.createTask(body, key)),
    );

    await run.step('the same request again returns the same task', async () => {
      const retry = await user.answer(api.createTask(body, key));
      check(retry.body.id === first.id, `the retry created task ${retry.body.id}, not ${first.id}`);
      check(
        retry.headers.get('idempotent-replayed') === 'true',
        'the retry is not marked idempotent-replayed: true',
      );
    });

    const concurrent = { title: 'book dentist' };
    const concurrentKey = randomUUID();
    const ids = await run.step('three concurrent retries return one task', async () => {
      const tasks = await Promise.all(
        Array.from({ length: 3 }, () => user.send(api.createTask(concurrent, concurrentKey))),
      );
      const distinct = [...new Set(tasks.map((task) => task.id))];
      check(
        distinct.length === 1,
        `concurrent retries created ${distinct.length} tasks: ${distinct.join(', ')}`,
      );
      return distinct;
    });

    await run.step('the list holds exactly one task per key', async () => {
      const { items } = await user.send(api.listTasks());
      checkTitles(items, [body.title, concurrent.title], 'tasks after the retries');
      check(
        items.some((task) => task.id === first.id) && items.some((task) => task.id === ids[0]),
        `the listed tasks are not the ones created: ${JSON.stringify(items.map((task) => task.id))}`,
      );
    });

    await run.step('the key reused for another task is refused: 422', async () => {
      await user.refused(api.createTask({ title: 'something else' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    });
  },
};
