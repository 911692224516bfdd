import { assistantSteps } from './assistant-steps.ts';
import { api, type Task } from './endpoints.ts';
import { check, checkTitles, type ApiScenario } from './scenario.ts';

// A sign-out reaches every replica at once while Redis carries it; a replica
// that cannot hear of it (no Redis, or Redis silent) trusts a session it
// verified for SESSION_CACHE_SECONDS (default 5). So behind a load balancer the
// old cookie may work that long, and no longer, whatever the target.
export const signOutGraceMs = 6_000;

/** What one user does in a session: the whole product, through its API. */
export const userJourney: ApiScenario = {
  name: 'user journey',
  async run(run) {
    const { account } = await run.signedUpUser('sign up');
    const user = run.client();

    await run.step('sign in (fresh session)', async () => {
      const signedIn = await user.send(api.signIn(account.email, account.password));
      check(
        signedIn.user.email === account.email,
        `signed in as ${signedIn.user.email}, not ${account.email}`,
      );
      check(user.hasCookies, 'sign-in set no session cookie');
      const { items } = await user.send(api.listTasks());
      check(items.length === 0, `a new account already lists ${items.length} tasks`);
    });

    const [milk, report] = await run.step('create three tasks', async () => {
      const wanted = [
        { title: 'buy milk', priority: 'high', dueDate: '2031-03-14' },
        { title: 'write quarterly report', notes: 'numbers from Q3' },
        { title: 'water the plants', priority: 'low' },
      ];
      const created: Task[] = [];
      for (const body of wanted) created.push(await user.send(api.createTask(body)));
      for (const [i, task] of created.entries()) {
        const sent = wanted[i];
        check(
          task.title === sent?.title && task.status === 'open' && task.version >= 1,
          `creating ${JSON.stringify(sent)} answered ${JSON.stringify(task)}`,
        );
      }
      check(
        created[0]?.priority === 'high' && created[0].dueDate === '2031-03-14',
        'buy milk lost its details',
      );
      check(created[1]?.priority === 'medium', 'a task created without a priority is not medium');
      return created as [Task, Task, Task];
    });

    await run.step('list and filter by status, priority, due date and words', async () => {
      const all = await user.send(api.listTasks());
      checkTitles(all.items, ['buy milk', 'write quarterly report', 'water the plants'], 'all tasks');
      const open = await user.send(api.listTasks({ status: 'open', sort: 'title' }));
      check(
        open.items.map((task) => task.title).join(', ') ===
          'buy milk, water the plants, write quarterly report',
        `open tasks sorted by title came back as ${open.items.map((task) => task.title).join(', ')}`,
      );
      checkTitles((await user.send(api.listTasks({ status: 'done' }))).items, [], 'done tasks');
      checkTitles(
        (await user.send(api.listTasks({ priority: 'high' }))).items,
        ['buy milk'],
        'high priority',
      );
      const due = await user.send(api.listTasks({ dueAfter: '2031-03-13', dueBefore: '2031-03-15' }));
      checkTitles(due.items, ['buy milk'], 'tasks due on 2031-03-14');
      // Words are found in notes as well as titles.
      checkTitles(
        (await user.send(api.listTasks({ q: 'Q3' }))).items,
        ['write quarterly report'],
        'search "Q3"',
      );
    });

    await assistantSteps(run, user);

    const edited = await run.step('edit a task with its version', async () => {
      const current = await user.send(api.getTask(report.id));
      const changes = { title: 'write the quarterly report', priority: 'high', version: current.version };
      const task = await user.send(api.updateTask(report.id, changes));
      check(
        task.title === changes.title && task.priority === 'high' && task.version > current.version,
        `the edit answered ${JSON.stringify(task)} (sent version ${current.version})`,
      );
      return { task, staleVersion: current.version };
    });

    await run.step('a stale version is refused with 409', async () => {
      const stale = { title: 'an edit from an old tab', version: edited.staleVersion };
      await user.refused(api.updateTask(report.id, stale), 409, 'VERSION_CONFLICT');
      const kept = await user.send(api.getTask(report.id));
      check(
        kept.title === edited.task.title && kept.version === edited.task.version,
        `the refused edit changed the task: ${JSON.stringify(kept)}`,
      );
    });

    await run.step('delete a task: then it is gone (404)', async () => {
      await user.send(api.deleteTask(milk.id));
      await user.refused(api.getTask(milk.id), 404, 'TASK_NOT_FOUND');
      const { items } = await user.send(api.listTasks());
      check(!items.some((task) => task.id === milk.id), 'the deleted task is still listed');
    });

    await run.step('sign out: the session no longer works (401)', async () => {
      const oldSession = user.copy();
      await user.send(api.signOut());
      await user.refused(api.listTasks(), 401, 'UNAUTHENTICATED');
      // The old cookie, replayed (a stolen copy): refused once the sign-out has reached every replica.
      const deadline = performance.now() + signOutGraceMs;
      for (;;) {
        const answer = await oldSession.attempt(api.listTasks(), [200, 401]);
        if (answer.status === 401) break;
        check(
          performance.now() < deadline,
          `the signed-out session still lists tasks ${signOutGraceMs / 1000} s after sign-out`,
        );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
  },
};
