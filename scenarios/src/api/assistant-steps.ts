import { randomUUID } from 'node:crypto';
import { readAssistantReply, type AssistantReply } from './assistant-reply.ts';
import type { ApiClient } from './client.ts';
import { api, type Task } from './endpoints.ts';
import { check, type ScenarioRun } from './scenario.ts';

// Phrases the offline rules model understands (docs/assistant.md); a language
// model reads them the same way. Only the REST API's view is asserted, not the
// assistant's wording, so the steps hold for either.
const title = 'call the plumber';
const addMessage = `add a task called ${title}`;
const completeMessage = `mark ${title} as done`;

async function say(user: ApiClient, conversationId: string, message: string): Promise<AssistantReply> {
  const answer = await user.answer(api.chat(conversationId, message));
  const echoed = answer.headers.get('conversation-id');
  check(
    echoed === null || echoed === conversationId,
    `the reply belongs to conversation ${echoed}, not ${conversationId}`,
  );
  const reply = readAssistantReply(
    typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
  );
  check(reply.errors.length === 0, `the assistant's reply carried errors: ${reply.errors.join('; ')}`);
  check(reply.finished, `the assistant's reply stopped before its end (said "${reply.text}")`);
  return reply;
}

/** The task the assistant made, found through the REST API as the board would. */
async function findTask(user: ApiClient, reply: AssistantReply): Promise<Task> {
  const { items } = await user.send(api.listTasks({ q: 'plumber' }));
  const found = items.filter((task) => task.title.toLowerCase() === title);
  const [task] = found;
  check(
    task && found.length === 1,
    `expected one task "${title}" after the assistant answered "${reply.text}", ` +
      `found ${found.length} (listed ${JSON.stringify(items.map((task) => task.title))})`,
  );
  return task;
}

/** The assistant adds a task and then completes it; the task list shows both. */
export async function assistantSteps(run: ScenarioRun, user: ApiClient): Promise<void> {
  const conversationId = randomUUID();

  const added = await run.step('the assistant adds a task', async () => {
    const reply = await say(user, conversationId, addMessage);
    const task = await findTask(user, reply);
    check(task.status === 'open', `the assistant's new task is ${task.status}, expected open`);
    return task;
  });

  await run.step('the assistant completes it', async () => {
    const reply = await say(user, conversationId, completeMessage);
    const task = await findTask(user, reply);
    check(task.id === added.id, `the listed "${title}" is another task than the one the assistant added`);
    check(
      task.status === 'done' && task.completedAt !== null,
      `after "${completeMessage}" the task is ${task.status} (completedAt ${task.completedAt}); ` +
        `the assistant answered "${reply.text}"`,
    );
    const done = await user.send(api.listTasks({ status: 'done' }));
    check(
      done.items.some((item) => item.id === added.id),
      'the completed task is missing from the list filtered by status=done',
    );
  });
}
