import { randomUUID } from 'node:crypto';
import type { ApiRequest } from './client.ts';
import { api } from './endpoints.ts';
import { check, checkTitles, type ApiScenario } from './scenario.ts';

interface Refusal {
  /** What is wrong, as a user would say it. */
  what: string;
  request: (taskId: string, version: number) => ApiRequest;
  /** The fields the answer must name. */
  fields: string[];
  /** The answer, when it is not 400 VALIDATION_FAILED. */
  status?: number;
  code?: string;
}

const refusals: Refusal[] = [
  { what: 'an empty title', request: () => api.createTask({ title: '   ' }), fields: ['title'] },
  {
    what: 'a priority that is not low, medium or high',
    request: () => api.createTask({ title: 'pay rent', priority: 'urgent' }),
    fields: ['priority'],
  },
  {
    what: 'a due date that is not a date',
    request: () => api.createTask({ title: 'pay rent', dueDate: '31/12/2030' }),
    fields: ['dueDate'],
  },
  {
    what: 'an unknown field',
    request: () => api.createTask({ title: 'pay rent', colour: 'red' }),
    fields: ['colour'],
  },
  {
    what: 'several wrong fields at once',
    request: () => api.createTask({ title: '', priority: 'soon', dueDate: 'tomorrow' }),
    fields: ['title', 'priority', 'dueDate'],
  },
  {
    // Valid on its own, but the API asks for the version it would overwrite: 428.
    what: 'an edit without the version last read',
    request: (id) => api.updateTask(id, { title: 'pay the rent' }),
    fields: ['version'],
    status: 428,
    code: 'PRECONDITION_REQUIRED',
  },
  {
    what: 'an edit with an empty title',
    request: (id, version) => api.updateTask(id, { title: '', version }),
    fields: ['title'],
  },
  {
    what: 'a list filtered by an unknown status',
    request: () => api.listTasks({ status: 'finished' }),
    fields: ['status'],
  },
  {
    what: 'an empty message to the assistant',
    request: () => api.chat(randomUUID(), '  '),
    fields: ['message.parts.0.text'],
  },
];

export const invalidInputNamesField: ApiScenario = {
  name: 'invalid input names the field',
  async run(run) {
    const { user } = await run.signedUpUser('sign up');
    const task = await run.step('create a valid task', () =>
      user.send(api.createTask({ title: 'pay rent' })),
    );

    for (const refusal of refusals) {
      const status = refusal.status ?? 400;
      await run.step(`${refusal.what}: ${status} naming ${refusal.fields.join(', ')}`, async () => {
        const body = await user.refused(
          refusal.request(task.id, task.version),
          status,
          refusal.code ?? 'VALIDATION_FAILED',
        );
        const named = Object.keys(body.fields ?? {});
        const missing = refusal.fields.filter((field) => !named.includes(field));
        check(
          missing.length === 0,
          `the answer does not name ${missing.join(', ')} (it names ${named.join(', ') || 'no field'})`,
        );
      });
    }

    await run.step('the refused requests changed nothing', async () => {
      const { items } = await user.send(api.listTasks());
      checkTitles(items, ['pay rent'], 'tasks after the refusals');
      check(items[0]?.version === task.version, `the task's version moved to ${items[0]?.version}`);
    });
  },
};
