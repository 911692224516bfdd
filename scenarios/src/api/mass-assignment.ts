import type { ApiRequest } from './client.ts';
import { signedUpWithToken } from './credentials.ts';
import { api } from './endpoints.ts';
import { check, checkTitles, type ApiScenario } from './scenario.ts';

/** Fields the server sets and a client must not: the owner, the identity, the clock, the version. */
const serverFields = (victimId: string, victimTaskId: string): [string, unknown][] => [
  ['userId', victimId],
  ['id', victimTaskId],
  ['createdAt', '2000-01-01T00:00:00.000Z'],
  ['updatedAt', '2000-01-01T00:00:00.000Z'],
  ['completedAt', '2000-01-01T00:00:00.000Z'],
];

/**
 * Fields only the server sets are refused with 400 naming the field, in
 * creates and edits through REST and through MCP; no other user's task is
 * touched, and the version moves only as the server moves it.
 */
export const massAssignmentRefused: ApiScenario = {
  name: 'fields only the server sets are refused (mass assignment)',
  async run(run) {
    const victim = await signedUpWithToken(run, 'sign up a user');
    const theirs = await run.step('they keep a task', () =>
      victim.user.send(api.createTask({ title: 'their own task' })),
    );
    const attacker = await signedUpWithToken(run, 'sign up another user');
    const mine = await run.step('the other user creates a task of their own', () =>
      attacker.user.send(api.createTask({ title: 'my own task' })),
    );

    const refusals: [string, ApiRequest][] = [
      ...serverFields(victim.userId, theirs.id).map(([field, value]): [string, ApiRequest] => [
        field,
        api.createTask({ title: 'planted', [field]: value }),
      ]),
      ['version', api.createTask({ title: 'planted', version: 1000 })],
      ...serverFields(victim.userId, theirs.id).map(([field, value]): [string, ApiRequest] => [
        field,
        api.updateTask(mine.id, { title: 'moved', version: mine.version, [field]: value }),
      ]),
    ];
    for (const [field, request] of refusals) {
      const verb = request.method === 'POST' ? 'a create' : 'an edit';
      await run.step(`${field} in ${verb}: 400 naming ${field}`, async () => {
        const body = await attacker.user.refused(request, 400, 'VALIDATION_FAILED');
        const named = Object.keys(body.fields ?? {});
        check(named.includes(field), `the answer names ${named.join(', ') || 'no field'}, not ${field}`);
      });
    }

    await run.step('a version the task is not at: 409, and the server moves it by one', async () => {
      const ahead = { title: 'jumped', version: mine.version + 1000 };
      await attacker.user.refused(api.updateTask(mine.id, ahead), 409, 'VERSION_CONFLICT');
      const edited = await attacker.user.send(
        api.updateTask(mine.id, { title: 'renamed', version: mine.version }),
      );
      check(
        edited.version === mine.version + 1,
        `the version went from ${mine.version} to ${edited.version}`,
      );
    });

    await run.step('MCP: the same fields in tool arguments are refused', async () => {
      for (const [name, args] of [
        ['create_task', { title: 'planted', userId: victim.userId }],
        ['update_task', { id: mine.id, title: 'moved', userId: victim.userId }],
      ] as const) {
        const answer = await attacker.user.send(api.mcpTool(name, args));
        const text = answer.result?.content?.map((part) => part.text ?? '').join(' ') ?? '';
        check(
          answer.result?.isError === true && text.includes('VALIDATION_FAILED') && text.includes('userId'),
          `${name} with a userId: expected a tool error naming userId, got ${text.slice(0, 200)}`,
        );
      }
    });

    await run.step(
      'nothing was planted: each user has only their own task, as the server wrote it',
      async () => {
        const { items: attackers } = await attacker.user.send(api.listTasks());
        checkTitles(attackers, ['renamed'], "the other user's tasks");
        const [kept] = attackers;
        check(kept?.id === mine.id, `the other user's task now has id ${kept?.id}, not ${mine.id}`);
        check(
          kept.createdAt === mine.createdAt,
          `its createdAt moved from ${mine.createdAt} to ${kept.createdAt}`,
        );
        const { items: victims } = await victim.user.send(api.listTasks());
        checkTitles(victims, ['their own task'], "the first user's tasks");
        check(victims[0]?.version === theirs.version, `their task's version moved to ${victims[0]?.version}`);
      },
    );
  },
};
