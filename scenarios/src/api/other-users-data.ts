import { randomUUID } from 'node:crypto';
import { readAssistantReply } from './assistant-reply.ts';
import type { ApiClient } from './client.ts';
import { signedUpWithToken, withBearer } from './credentials.ts';
import { api, type McpToolAnswer, type Task } from './endpoints.ts';
import { check, type ApiScenario } from './scenario.ts';

/** What only the owner knows of their task: nothing of it may reach another user. */
const leaked = (text: string, task: Task, known: 'id' | 'title'): string[] =>
  [task.notes, known === 'id' ? task.title : task.id].filter((secret) => text.includes(secret));

/** The assistant's whole answer (its words, tool calls and tool results) to one message. */
async function ask(user: ApiClient, conversationId: string, message: string): Promise<string> {
  const answer = await user.answer(api.chat(conversationId, message));
  const stream = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  check(readAssistantReply(stream).finished, `the assistant's reply to "${message}" stopped before its end`);
  return stream;
}

function toolRefused(answer: McpToolAnswer, code: string, what: string): void {
  const text = answer.result?.content?.map((part) => part.text ?? '').join(' ') ?? '';
  check(
    answer.result?.isError === true && text.includes(code),
    `${what}: expected a tool error ${code}, got ${JSON.stringify(answer).slice(0, 300)}`,
  );
}

/**
 * What one user keeps is theirs whichever way another signed-in user asks:
 * the REST API, the assistant (by the task's id or its title) and the MCP
 * endpoint with a bearer token all answer "not found" and show nothing of it.
 */
export const otherUsersDataOutOfReach: ApiScenario = {
  name: "another user's tasks and conversations are out of reach (REST, assistant, MCP)",
  async run(run) {
    const owner = await signedUpWithToken(run, 'sign up the owner');
    const conversationId = randomUUID();
    const { task, messages } = await run.step(
      'the owner keeps a task and talks to the assistant about it',
      async () => {
        const created = await owner.user.send(
          api.createTask({
            title: `private plans ${randomUUID().slice(0, 8)}`,
            notes: `only mine ${randomUUID()}`,
          }),
        );
        await ask(owner.user, conversationId, 'show my tasks');
        const conversation = await owner.user.send(api.getConversation(conversationId));
        return { task: created, messages: conversation.messages.length };
      },
    );
    const other = await signedUpWithToken(run, 'sign up another user');

    await run.step("REST: the owner's conversation is not found (404) nor listed", async () => {
      await other.user.refused(api.getConversation(conversationId), 404, 'CONVERSATION_NOT_FOUND');
      const { items } = await other.user.send(api.listConversations());
      check(!items.some((item) => item.id === conversationId), "the owner's conversation is listed");
    });

    await run.step("the assistant: writing into the owner's conversation is refused (404)", async () => {
      await other.user.refused(
        api.chat(conversationId, 'what did I ask you before?'),
        404,
        'CONVERSATION_NOT_FOUND',
      );
    });

    await run.step("the assistant: asked about the owner's task by id, it finds nothing", async () => {
      const own = randomUUID();
      for (const message of [`show task ${task.id}`, `complete ${task.id}`, `delete ${task.id}`]) {
        const found = leaked(await ask(other.user, own, message), task, 'id');
        check(found.length === 0, `"${message}" answered with the owner's task (${found.length} detail(s))`);
      }
    });

    await run.step("the assistant: asked about the owner's task by title, it finds nothing", async () => {
      const own = randomUUID();
      for (const message of [`find tasks about ${task.title}`, `mark ${task.title} as done`]) {
        const found = leaked(await ask(other.user, own, message), task, 'title');
        check(found.length === 0, `"${message}" answered with the owner's task (${found.length} detail(s))`);
      }
    });

    await run.step("MCP with a bearer token: the owner's task is not found", async () => {
      const scripted = run.client();
      const call = (name: string, args: Record<string, unknown>) =>
        scripted.send(withBearer(api.mcpTool(name, args), other.token));
      const listed = await call('list_tasks', { q: task.title });
      check(listed.result?.isError !== true, `list_tasks failed: ${JSON.stringify(listed).slice(0, 300)}`);
      check(leaked(JSON.stringify(listed), task, 'title').length === 0, "list_tasks shows the owner's task");
      for (const [name, args] of [
        ['get_task', { id: task.id }],
        ['update_task', { id: task.id, title: 'taken over' }],
        ['complete_task', { id: task.id }],
        ['delete_task', { id: task.id }],
      ] as const) {
        const answer = await call(name, args);
        toolRefused(answer, 'TASK_NOT_FOUND', name);
        check(leaked(JSON.stringify(answer), task, 'id').length === 0, `${name} shows the owner's task`);
      }
    });

    await run.step("the owner's task and conversation are as they were", async () => {
      const kept = await owner.user.send(api.getTask(task.id));
      check(
        kept.title === task.title &&
          kept.notes === task.notes &&
          kept.status === 'open' &&
          kept.version === task.version,
        `the task changed: was ${JSON.stringify(task)}, now ${JSON.stringify(kept)}`,
      );
      const conversation = await owner.user.send(api.getConversation(conversationId));
      check(
        conversation.messages.length === messages,
        `the conversation had ${messages} messages, now ${conversation.messages.length}`,
      );
    });
  },
};
