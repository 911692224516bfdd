import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../src/assistant/chat.ts';
import { addDays } from '../src/assistant/offline/dates.ts';
import type { Task } from '../src/tasks/index.ts';
import { startApi, type RunningApi } from './support/api.ts';
import { chat, type ChatReply } from './support/chat.ts';
import { Client } from './support/client.ts';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ env: { RATE_LIMIT_CHAT_MAX: '1000' } });
});
afterAll(() => api.close());

// The offline model reads "today" from the system prompt, in the server's
// time zone (UTC here); the expectations are computed the same way.
const today = todayIn('UTC').date;
const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
/** The coming given weekday (0 = Sunday), today included. */
const coming = (day: number) => addDays(today, (day - weekday + 7) % 7);
/** That weekday in next week (weeks start on Monday). */
const nextWeeks = (day: number) => addDays(addDays(today, 7 - ((weekday + 6) % 7)), (day + 6) % 7);
const nextDecember5 =
  today <= `${today.slice(0, 4)}-12-05` ? `${today.slice(0, 4)}-12-05` : `${+today.slice(0, 4) + 1}-12-05`;

type Seed = Partial<Pick<Task, 'title' | 'priority' | 'dueDate' | 'notes'>> & {
  title: string;
  done?: boolean;
};

interface Case {
  say: string | ((ids: string[]) => string);
  seed?: Seed[];
  /** The tool calls, in order, by name. */
  calls: string[];
  reply: RegExp;
  /** The user's tasks afterwards (ordered by creation). */
  effect?: (tasks: Task[], ids: string[]) => void;
}

const one = (tasks: Task[]) => {
  expect(tasks).toHaveLength(1);
  return tasks[0]!;
};
const titled = (tasks: Task[], title: string) => tasks.find((t) => t.title === title);

const milk: Seed = { title: 'buy milk' };
const mixed: Seed[] = [
  { title: 'pay rent', dueDate: addDays(today, -1) },
  { title: 'old overdue but done', dueDate: addDays(today, -3), done: true },
  { title: 'submit report', dueDate: today, priority: 'high' },
  { title: 'call mom', dueDate: addDays(today, 1), priority: 'low' },
  { title: 'buy milk' },
  { title: 'finished thing', done: true },
];

const cases: Case[] = [
  // Create
  {
    say: 'add buy milk tomorrow, high priority',
    calls: ['create_task'],
    reply: /^Added “buy milk” \(due tomorrow, high priority\)\.$/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'buy milk', dueDate: addDays(today, 1), priority: 'high' });
    },
  },
  {
    say: 'add call mom',
    calls: ['create_task'],
    reply: /^Added “call mom”\.$/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'call mom', dueDate: null, priority: 'medium' });
    },
  },
  {
    say: 'create a task to renew passport on 2027-01-15',
    calls: ['create_task'],
    reply: /Added “renew passport” \(due Fri 15 Jan 2027\)/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'renew passport', dueDate: '2027-01-15' });
    },
  },
  {
    say: 'remind me to water the plants next friday',
    calls: ['create_task'],
    reply: /Added “water the plants”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'water the plants', dueDate: nextWeeks(5) });
    },
  },
  {
    say: 'new task: file taxes, low priority',
    calls: ['create_task'],
    reply: /Added “file taxes” \(low priority\)/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'file taxes', priority: 'low' });
    },
  },
  {
    say: 'todo: book dentist appointment in 3 days',
    calls: ['create_task'],
    reply: /Added “book dentist appointment”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'book dentist appointment', dueDate: addDays(today, 3) });
    },
  },
  {
    say: 'add pay rent urgent',
    calls: ['create_task'],
    reply: /high priority/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'pay rent', priority: 'high' });
    },
  },
  {
    say: 'I need to buy a birthday gift by saturday',
    calls: ['create_task'],
    reply: /Added “buy a birthday gift”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'buy a birthday gift', dueDate: coming(6) });
    },
  },
  {
    say: 'add submit report due today',
    calls: ['create_task'],
    reply: /due today/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'submit report', dueDate: today });
    },
  },
  {
    say: 'add clean the garage next week',
    calls: ['create_task'],
    reply: /Added “clean the garage”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'clean the garage', dueDate: nextWeeks(1) });
    },
  },
  {
    say: 'add a task called prepare slides for monday with notes: include Q3 numbers',
    calls: ['create_task'],
    reply: /Added “prepare slides”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({
        title: 'prepare slides',
        dueDate: coming(1),
        notes: 'include Q3 numbers',
      });
    },
  },
  {
    say: 'please add walk the dog tomorrow',
    calls: ['create_task'],
    reply: /Added “walk the dog” \(due tomorrow\)/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'walk the dog' });
    },
  },
  {
    say: 'add Buy Oat Milk',
    calls: ['create_task'],
    reply: /Added “Buy Oat Milk”/,
    effect: (t) => {
      expect(one(t).title).toBe('Buy Oat Milk');
    },
  },
  {
    say: 'add order pizza on 5 december',
    calls: ['create_task'],
    reply: /Added “order pizza”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'order pizza', dueDate: nextDecember5 });
    },
  },
  {
    say: "don't forget to call the bank the day after tomorrow",
    calls: ['create_task'],
    reply: /Added “call the bank”/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'call the bank', dueDate: addDays(today, 2) });
    },
  },
  {
    say: 'add read a book priority low',
    calls: ['create_task'],
    reply: /Added “read a book” \(low priority\)/,
    effect: (t) => {
      expect(one(t)).toMatchObject({ title: 'read a book', priority: 'low' });
    },
  },

  // List and filter
  {
    say: 'what is overdue?',
    seed: mixed,
    calls: ['list_tasks'],
    reply: /^Overdue tasks \(1\):\n• “pay rent” \(due yesterday\)$/,
  },
  {
    say: "what's due today?",
    seed: mixed,
    calls: ['list_tasks'],
    reply: /^Tasks due today \(1\):\n• “submit report”/,
  },
  { say: 'show my tasks', seed: mixed, calls: ['list_tasks'], reply: /^Tasks \(6\):/ },
  { say: 'show done tasks', seed: mixed, calls: ['list_tasks'], reply: /^Done tasks \(2\):/ },
  {
    say: 'list high priority tasks',
    seed: mixed,
    calls: ['list_tasks'],
    reply: /^High-priority tasks \(1\):\n• “submit report”/,
  },
  {
    say: 'find milk',
    seed: mixed,
    calls: ['list_tasks'],
    reply: /^Tasks matching “milk” \(1\):\n• “buy milk”$/,
  },
  {
    say: 'what do I have due tomorrow',
    seed: mixed,
    calls: ['list_tasks'],
    reply: /^Tasks due tomorrow \(1\):\n• “call mom”/,
  },
  { say: 'show open tasks', seed: mixed, calls: ['list_tasks'], reply: /^Open tasks \(4\):/ },
  { say: "what's overdue", seed: [milk], calls: ['list_tasks'], reply: /^You have no overdue tasks\.$/ },
  { say: 'search for report', seed: mixed, calls: ['list_tasks'], reply: /“submit report”/ },
  { say: 'any urgent tasks?', seed: mixed, calls: ['list_tasks'], reply: /^High-priority tasks \(1\):/ },
  { say: 'what is due today', seed: mixed, calls: ['list_tasks'], reply: /“submit report”/ },
  { say: 'what is due this week', seed: mixed, calls: ['list_tasks'], reply: /“submit report”/ },

  // Complete and reopen
  {
    say: 'mark buy milk as done',
    seed: [milk],
    calls: ['list_tasks', 'complete_task'],
    reply: /^Marked “buy milk” as done\.$/,
    effect: (t) => {
      expect(one(t).status).toBe('done');
    },
  },
  {
    say: 'mark the milk one done',
    seed: [milk, { title: 'buy oat milk' }],
    calls: ['list_tasks'],
    reply: /^More than one task matches “milk”\. Which one do you mean\?\n1\. “buy oat milk”\n2\. “buy milk”/,
    effect: (t) => {
      expect(t.map((task) => task.status)).toEqual(['open', 'open']);
    },
  },
  {
    say: 'complete call mom',
    seed: mixed,
    calls: ['list_tasks', 'complete_task'],
    reply: /Marked “call mom” as done/,
    effect: (t) => {
      expect(titled(t, 'call mom')?.status).toBe('done');
    },
  },
  {
    say: 'I finished the report',
    seed: mixed,
    calls: ['list_tasks', 'complete_task'],
    reply: /Marked “submit report” as done/,
    effect: (t) => {
      expect(titled(t, 'submit report')?.status).toBe('done');
    },
  },
  {
    say: 'check off buy milk',
    seed: [milk],
    calls: ['list_tasks', 'complete_task'],
    reply: /Marked “buy milk” as done/,
    effect: (t) => {
      expect(one(t).status).toBe('done');
    },
  },
  {
    say: 'reopen buy milk',
    seed: [{ ...milk, done: true }],
    calls: ['list_tasks', 'reopen_task'],
    reply: /^Reopened “buy milk”\.$/,
    effect: (t) => {
      expect(one(t).status).toBe('open');
    },
  },
  {
    say: 'mark buy milk as not done',
    seed: [{ ...milk, done: true }],
    calls: ['list_tasks', 'reopen_task'],
    reply: /Reopened “buy milk”/,
    effect: (t) => {
      expect(one(t).status).toBe('open');
    },
  },
  {
    say: (ids) => `complete ${ids[0]}`,
    seed: [milk],
    calls: ['complete_task'],
    reply: /Marked “buy milk” as done/,
    effect: (t) => {
      expect(one(t).status).toBe('done');
    },
  },
  {
    say: 'complete fly to the moon',
    seed: [milk],
    calls: ['list_tasks'],
    reply: /^I couldn't find a task matching “fly to the moon”\.$/,
    effect: (t) => {
      expect(one(t).status).toBe('open');
    },
  },
  {
    say: 'mark buy milk done',
    seed: [{ ...milk, done: true }, milk],
    calls: ['list_tasks', 'complete_task'],
    reply: /Marked “buy milk” as done/,
    effect: (t) => {
      expect(t.map((task) => task.status)).toEqual(['done', 'done']);
    },
  },
  {
    say: 'buy milk is done',
    seed: [milk],
    calls: ['list_tasks', 'complete_task'],
    reply: /Marked “buy milk” as done/,
    effect: (t) => {
      expect(one(t).status).toBe('done');
    },
  },

  // Change
  {
    say: 'rename buy milk to buy oat milk',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /^Renamed “buy milk” to “buy oat milk”\.$/,
    effect: (t) => {
      expect(one(t).title).toBe('buy oat milk');
    },
  },
  {
    say: 'move buy milk to next friday',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /^Updated “buy milk”: moved it to /,
    effect: (t) => {
      expect(one(t).dueDate).toBe(nextWeeks(5));
    },
  },
  {
    say: 'make buy milk high priority',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /set it to high priority/,
    effect: (t) => {
      expect(one(t).priority).toBe('high');
    },
  },
  {
    say: 'set the priority of buy milk to low',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /set it to low priority/,
    effect: (t) => {
      expect(one(t).priority).toBe('low');
    },
  },
  {
    say: 'buy milk is due tomorrow',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /moved it to tomorrow/,
    effect: (t) => {
      expect(one(t).dueDate).toBe(addDays(today, 1));
    },
  },
  {
    say: 'remove the due date from buy milk',
    seed: [{ ...milk, dueDate: today }],
    calls: ['list_tasks', 'update_task'],
    reply: /removed its due date/,
    effect: (t) => {
      expect(one(t).dueDate).toBeNull();
    },
  },
  {
    say: 'add a note to buy milk: the organic one',
    seed: [milk],
    calls: ['list_tasks', 'update_task'],
    reply: /updated its notes/,
    effect: (t) => {
      expect(one(t).notes).toBe('the organic one');
    },
  },
  {
    say: 'postpone call mom to 2027-02-01',
    seed: mixed,
    calls: ['list_tasks', 'update_task'],
    reply: /moved it to Mon 1 Feb 2027/,
    effect: (t) => {
      expect(titled(t, 'call mom')?.dueDate).toBe('2027-02-01');
    },
  },
  {
    say: 'prioritize pay rent',
    seed: mixed,
    calls: ['list_tasks', 'update_task'],
    reply: /set it to high priority/,
    effect: (t) => {
      expect(titled(t, 'pay rent')?.priority).toBe('high');
    },
  },

  // Delete
  {
    say: 'delete buy milk',
    seed: [milk, { title: 'call mom' }],
    calls: ['list_tasks', 'delete_task'],
    reply: /^Deleted “buy milk”\.$/,
    effect: (t) => {
      expect(t.map((task) => task.title)).toEqual(['call mom']);
    },
  },
  {
    say: 'remove the dentist task',
    seed: [{ title: 'book dentist' }],
    calls: ['list_tasks', 'delete_task'],
    reply: /Deleted “book dentist”/,
    effect: (t) => {
      expect(t).toHaveLength(0);
    },
  },
  {
    say: 'delete world peace',
    seed: [milk],
    calls: ['list_tasks'],
    reply: /couldn't find a task matching “world peace”/,
    effect: (t) => {
      expect(t).toHaveLength(1);
    },
  },
  {
    say: (ids) => `delete ${ids[0]}`,
    seed: [milk],
    calls: ['delete_task'],
    reply: /Deleted “buy milk”/,
    effect: (t) => {
      expect(t).toHaveLength(0);
    },
  },

  // Anything else
  { say: 'help', calls: [], reply: /^I can manage your tasks\. Try:/ },
  { say: 'hello', calls: [], reply: /^Hello! I can manage your tasks/ },
  { say: "what's the weather like?", calls: [], reply: /^Sorry, I didn't understand that\./ },
  { say: '2', calls: [], reply: /^I haven't offered a choice\./ },
  { say: 'what can you do?', calls: [], reply: /“add buy milk tomorrow, high priority”/ },
];

async function seeded(seeds: Seed[] = []): Promise<{ client: Client; ids: string[] }> {
  const client = new Client(api.url);
  await client.signUp();
  const ids: string[] = [];
  for (const { done, ...seed } of seeds) {
    const created = await client.createTask(seed);
    expect(created.status).toBe(201);
    ids.push(created.body.id as string);
    if (done)
      expect((await client.request('POST', `/api/tasks/${created.body.id}/complete`)).status).toBe(200);
  }
  return { client, ids };
}

async function tasksOf(client: Client): Promise<Task[]> {
  const page = await client.request('GET', '/api/tasks?sort=createdAt&limit=100');
  return page.body.items as Task[];
}

describe('the offline assistant', () => {
  it.each(cases.map((c, i) => [typeof c.say === 'string' ? c.say : `#${i} (by id)`, c] as const))(
    '“%s”',
    async (_name, c) => {
      const { client, ids } = await seeded(c.seed);
      const said = typeof c.say === 'string' ? c.say : c.say(ids);
      const reply = await chat(client, said);
      expect(reply.status).toBe(200);
      expect(reply.errors).toEqual([]);
      expect(reply.toolCalls.map((call) => call.toolName)).toEqual(c.calls);
      expect(reply.text).toMatch(c.reply);
      c.effect?.(await tasksOf(client), ids);
    },
  );

  it('has a table of at least 50 requests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it('answers the same input with the same output', async () => {
    const runs: ChatReply[] = [];
    for (let i = 0; i < 2; i++) {
      const { client } = await seeded(mixed);
      runs.push(await chat(client, 'what is overdue?'));
    }
    expect(runs[0]!.text).toBe(runs[1]!.text);
    expect(runs[0]!.toolCalls).toEqual(runs[1]!.toolCalls);
  });

  it('asks which task when a reference is ambiguous, then acts on the answer (a number or words)', async () => {
    const { client } = await seeded([milk, { title: 'buy oat milk' }, { title: 'milk the cow' }]);
    const question = await chat(client, 'mark the milk one done');
    expect(question.text).toMatch(/Which one do you mean\?/);
    const answer = await chat(client, '2', { id: question.conversationId! });
    expect(answer.toolCalls.map((call) => call.toolName)).toEqual(['complete_task']);
    expect(answer.text).toBe('Marked “buy oat milk” as done.');

    const again = await chat(client, 'delete the milk one', { id: question.conversationId! });
    expect(again.text).toMatch(/Which one/);
    const byWords = await chat(client, 'cow', { id: question.conversationId! });
    expect(byWords.text).toBe('Deleted “milk the cow”.');
    expect((await tasksOf(client)).map((t) => [t.title, t.status])).toEqual([
      ['buy milk', 'open'],
      ['buy oat milk', 'done'],
    ]);
  });
});

describe('conversations', () => {
  it('are stored with their messages and listed for their owner only', async () => {
    const { client } = await seeded();
    const first = await chat(client, 'add buy milk tomorrow');
    const id = first.conversationId!;
    await chat(client, 'what is due tomorrow?', { id });
    const list = await client.request('GET', '/api/conversations');
    expect(list.body.items).toEqual([expect.objectContaining({ id, title: 'add buy milk tomorrow' })]);
    const stored = await client.request('GET', `/api/conversations/${id}`);
    expect(stored.body.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    const toolPart = stored.body.messages[1].parts.find(
      (p: { type: string }) => p.type === 'tool-create_task',
    );
    expect(toolPart).toMatchObject({ state: 'output-available', output: { task: { title: 'buy milk' } } });

    const { client: other } = await seeded();
    expect((await other.request('GET', `/api/conversations/${id}`)).status).toBe(404);
    expect((await other.request('GET', '/api/conversations')).body.items).toEqual([]);
    // Writing into someone else's conversation id answers 404 and adds nothing.
    const intrusion = await chat(other, 'add steal milk', { id });
    expect(intrusion.status).toBe(404);
    expect((await client.request('GET', `/api/conversations/${id}`)).body.messages).toHaveLength(4);
    expect(await tasksOf(other)).toEqual([]);
  });
});

describe('a message sent again', () => {
  // A client whose stream was cut (a proxy restart, a lost connection) sends the
  // same message again, with the same message id: its tools must not run twice.
  it('is answered with the reply saved the first time, replayed, and its tools do not run again', async () => {
    const { client } = await seeded();
    const first = await chat(client, 'add buy milk tomorrow', { messageId: 'msg-milk' });
    expect(first.toolCalls.map((call) => call.toolName)).toEqual(['create_task']);
    const id = first.conversationId ?? '';

    const again = await chat(client, 'add buy milk tomorrow', { id, messageId: 'msg-milk' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(again.toolCalls).toEqual(first.toolCalls);
    expect(again.toolOutputs).toEqual(first.toolOutputs);
    expect((await tasksOf(client)).map((task) => task.title)).toEqual(['buy milk']);
    // Stored once: the user's message and the assistant's reply.
    const stored = await client.request('GET', `/api/conversations/${id}`);
    expect(stored.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);

    // The same id for other words is a mistake, not a retry.
    const other = await chat(client, 'add buy bread', { id, messageId: 'msg-milk' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'CHAT_MESSAGE_ID_REUSED' });
    expect((await tasksOf(client)).map((task) => task.title)).toEqual(['buy milk']);
  });
});

describe('POST /api/chat', () => {
  it('needs a session, a valid message and a trusted origin', async () => {
    const anonymous = new Client(api.url);
    expect((await chat(anonymous, 'hi')).status).toBe(401);

    const { client } = await seeded();
    const empty = await chat(client, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { 'message.parts.0.text': 'must not be empty' },
    });
    const long = await chat(client, 'x'.repeat(2001));
    expect(long.body).toMatchObject({
      fields: { 'message.parts.0.text': 'must be at most 2000 characters' },
    });
    const nul = await chat(client, 'add \u0000 milk');
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({
      fields: { 'message.parts.0.text': 'must not contain NUL characters (U+0000)' },
    });
    const wrong = await client.request('POST', '/api/chat', {
      body: { message: { role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }, extra: 1 },
    });
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body.fields as object).sort()).toEqual(['extra', 'message.role']);

    client.origin = 'https://evil.example';
    expect((await chat(client, 'add buy milk')).status).toBe(403);
  });

  it('limits each user to RATE_LIMIT_CHAT_MAX messages per window', async () => {
    await using limited = await startApi({ env: { RATE_LIMIT_CHAT_MAX: '3' } });
    const client = new Client(limited.url);
    await client.signUp();
    for (let i = 0; i < 3; i++) expect((await chat(client, 'help')).status).toBe(200);
    const refused = await chat(client, 'help');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    // Another user is not affected.
    const other = new Client(limited.url);
    await other.signUp();
    expect((await chat(other, 'help')).status).toBe(200);
  });
});
