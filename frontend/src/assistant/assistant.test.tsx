import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api.ts';
import { renderApp } from '../test/render.tsx';
import { activityOf } from './activity.ts';

/** A reply in the AI SDK's UI message stream: one tool call, then words. */
function toolReply(toolName: string, input: unknown, output: unknown, words: string): unknown[] {
  return [
    { type: 'start', messageId: `m-${toolName}` },
    { type: 'start-step' },
    { type: 'tool-input-start', toolCallId: `call-${toolName}`, toolName },
    { type: 'tool-input-available', toolCallId: `call-${toolName}`, toolName, input },
    { type: 'tool-output-available', toolCallId: `call-${toolName}`, output },
    { type: 'finish-step' },
    { type: 'start-step' },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: words.slice(0, 5) },
    { type: 'text-delta', id: 't1', delta: words.slice(5) },
    { type: 'text-end', id: 't1' },
    { type: 'finish-step' },
    { type: 'finish' },
  ];
}

const board = () => screen.getByRole('list', { name: 'Tasks' });
const ask = async (user: ReturnType<typeof userEvent.setup>, text: string) => {
  await user.type(await screen.findByLabelText('Message the assistant'), text);
  await user.click(screen.getByRole('button', { name: 'Send' }));
};

describe('the assistant panel', () => {
  it('streams the reply, shows what the tools did, and refreshes the board', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    let created: { id: string; title: string } | undefined;
    api.chatReplies.push({
      before: () => (created = api.addTask({ title: 'buy milk' })),
      chunks: toolReply(
        'create_task',
        { title: 'buy milk' },
        { task: { title: 'buy milk' } },
        'Added “buy milk”.',
      ),
    });
    renderApp({ api });
    await screen.findByText(/No tasks yet/);
    await ask(user, 'add buy milk');
    const log = await screen.findByRole('log', { name: 'Conversation' });
    expect(await within(log).findByText('Added “buy milk”.')).toBeDefined();
    expect(within(log).getByText(/Created task “buy milk”/)).toBeDefined();
    await waitFor(() => expect(within(board()).getByText('buy milk')).toBeDefined());

    const [sent] = api.calls('POST', /^\/api\/chat$/);
    expect(sent?.body).toMatchObject({
      message: { role: 'user', parts: [{ type: 'text', text: 'add buy milk' }] },
    });
    expect(Object.keys((sent?.body as { message: object }).message).sort()).toEqual(['id', 'parts', 'role']);

    api.chatReplies.push({
      before: () =>
        api.tasks.set(created!.id, { ...api.tasks.get(created!.id)!, status: 'done', version: 2 }),
      chunks: toolReply(
        'complete_task',
        { id: created!.id },
        { task: { title: 'buy milk' } },
        'Marked “buy milk” as done.',
      ),
    });
    await ask(user, 'mark buy milk done');
    expect(await within(log).findByText(/Completed “buy milk”/)).toBeDefined();
    await screen.findByRole('checkbox', { name: 'Reopen “buy milk”' });
  });

  it('continues the latest conversation', async () => {
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    api.conversations.push({
      id: 'conv-1',
      title: 'earlier',
      messages: [
        { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'what is due today?' }] },
        { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Nothing is due today.' }] },
      ],
    });
    renderApp({ api });
    expect(await screen.findByText('Nothing is due today.')).toBeDefined();
    expect(screen.getByText('what is due today?')).toBeDefined();
  });

  it('gives a refused message back to the input with the reason', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    api.failNext(/POST \/api\/chat$/, 429, {
      code: 'RATE_LIMITED',
      message: 'Too many messages to the assistant; wait a moment.',
    });
    renderApp({ api });
    await ask(user, 'add call mum');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Too many messages/);
    expect(screen.getByLabelText<HTMLTextAreaElement>('Message the assistant').value).toBe('add call mum');
    expect(screen.queryByRole('log')).toBeNull();
  });

  it('shows an error the model provider reported in the stream', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    api.chatReplies.push({
      chunks: [
        { type: 'start' },
        {
          type: 'error',
          errorText: 'The assistant’s model provider (openai) took too long to answer; try again.',
        },
      ],
    });
    renderApp({ api });
    await ask(user, 'hello');
    expect((await screen.findByRole('alert')).textContent).toMatch(/took too long/);
    expect(screen.getByText('hello')).toBeDefined(); // the message was taken: it stays in the conversation
  });
});

describe('tool activity in words', () => {
  const part = (toolName: string, state: string, extra: object = {}) => ({
    type: `tool-${toolName}`,
    toolCallId: 'c',
    state,
    ...extra,
  });

  it('names the task a tool changed, and whether the board must refresh', () => {
    expect(
      activityOf(part('create_task', 'output-available', { output: { task: { title: 'buy milk' } } })),
    ).toMatchObject({
      text: 'Created task “buy milk”',
      changesTasks: true,
      state: 'done',
    });
    expect(
      activityOf(part('delete_task', 'output-available', { output: { deleted: { title: 'old' } } }))?.text,
    ).toBe('Deleted “old”');
    expect(
      activityOf(part('list_tasks', 'output-available', { output: { tasks: [{}, {}], more: false } })),
    ).toMatchObject({
      text: 'Looked through your tasks (2 found)',
      changesTasks: false,
    });
  });

  it('says what is running and what failed', () => {
    expect(activityOf(part('complete_task', 'input-available'))?.text).toBe('Completing a task…');
    expect(activityOf(part('update_task', 'output-error', { errorText: 'Task not found.' }))?.text).toBe(
      'Could not update the task: Task not found.',
    );
    expect(activityOf({ type: 'text' })).toBeNull();
  });
});
