import { afterEach, describe, expect, it } from 'vitest';
import { startApi } from './support/api.ts';
import { chat } from './support/chat.ts';
import { Client } from './support/client.ts';
import { fakeOpenAi, type ProviderAnswer, type ProviderRequest } from './support/fake-openai.ts';

const apiKey = 'sk-test-secret-key-that-must-never-be-logged';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function setUp(
  answer: (request: ProviderRequest, index: number) => ProviderAnswer,
  env: Record<string, string> = {},
) {
  const provider = await fakeOpenAi(answer);
  cleanup.push(provider.close);
  const api = await startApi({
    env: {
      ASSISTANT_MODE: 'openai-compatible',
      ASSISTANT_PROVIDER: 'custom',
      ASSISTANT_BASE_URL: provider.baseUrl,
      ASSISTANT_API_KEY: apiKey,
      ASSISTANT_MODEL: 'test-model',
      ASSISTANT_TIMEOUT_MS: '5000',
      ...env,
    },
  });
  cleanup.push(() => api.close());
  const client = new Client(api.url);
  await client.signUp();
  return { provider, api, client };
}

/** Calls the tool first, then answers in words once the tool result is in the messages. */
const toolThenText =
  (name: string, args: (request: ProviderRequest) => Record<string, unknown>, text: string) =>
  (request: ProviderRequest): ProviderAnswer =>
    request.body.messages.some((m) => m.role === 'tool')
      ? { text }
      : { toolCall: { name, arguments: args(request) } };

describe('the OpenAI-compatible provider', () => {
  it('runs streamed tool calls against the real tools, then streams the answer', async () => {
    const { provider, api, client } = await setUp(
      toolThenText(
        'create_task',
        () => ({ title: 'buy milk', priority: 'high', dueDate: '2027-01-15' }),
        'Added buy milk for you.',
      ),
    );
    const reply = await chat(client, 'add buy milk on 15 january, high priority');
    expect(reply.errors).toEqual([]);
    expect(reply.toolCalls).toEqual([
      {
        toolName: 'create_task',
        input: { title: 'buy milk', priority: 'high', dueDate: '2027-01-15', notes: '' },
      },
    ]);
    expect(reply.text).toBe('Added buy milk for you.');
    const tasks = await client.request('GET', '/api/tasks');
    expect(tasks.body.items).toEqual([expect.objectContaining({ title: 'buy milk', priority: 'high' })]);

    // What the provider saw: the key, the model, our tools, today's date, and the tool result.
    expect(provider.requests).toHaveLength(2);
    const [first, second] = provider.requests;
    expect(first?.authorization).toBe(`Bearer ${apiKey}`);
    expect(first?.body).toMatchObject({ model: 'test-model', stream: true });
    expect(first?.body.tools?.map((t) => t.function.name)).toContain('create_task');
    expect(JSON.stringify(first?.body.messages[0])).toMatch(/Today is \d{4}-\d{2}-\d{2}/);
    expect(JSON.stringify(second?.body.messages.at(-1))).toContain('buy milk');
    expect(api.logs.text()).not.toContain(apiKey);
  });

  it("cannot touch another user's task, whatever the model asks", async () => {
    let victimTaskId = '';
    const { client, api } = await setUp(toolThenText('delete_task', () => ({ id: victimTaskId }), 'Done.'));
    const victim = new Client(api.url);
    await victim.signUp();
    victimTaskId = (await victim.createTask({ title: 'not yours' })).body.id as string;
    const reply = await chat(client, `delete task ${victimTaskId}`);
    expect(reply.toolErrors.join(' ')).toMatch(/not found/i);
    expect((await victim.request('GET', `/api/tasks/${victimTaskId}`)).status).toBe(200);
  });

  it('retries a 429 and a 503 with backoff, then succeeds', async () => {
    const { provider, client } = await setUp(
      (_request, index) =>
        index === 0 ? { status: 429 } : index === 1 ? { status: 503 } : { text: 'Hello there.' },
      { ASSISTANT_TIMEOUT_MS: '30000' },
    );
    const reply = await chat(client, 'hello');
    expect(reply.errors).toEqual([]);
    expect(reply.text).toBe('Hello there.');
    expect(provider.requests).toHaveLength(3);
  });

  it('tells the user when the provider keeps failing, and the API stays healthy', async () => {
    const { provider, api, client } = await setUp(() => ({ status: 500 }), { ASSISTANT_MAX_RETRIES: '1' });
    const reply = await chat(client, 'hello');
    expect(reply.status).toBe(200);
    expect(reply.errors).toEqual([
      "The assistant's model provider (custom (test-model)) failed (HTTP 500); try again shortly.",
    ]);
    expect(provider.requests).toHaveLength(2);
    expect((await fetch(`${api.url}/ready`)).status).toBe(200);
    expect(api.logs.text()).toContain('assistant model failed');
    expect(api.logs.text()).not.toContain(apiKey);
  });
});

describe('the OpenAI-compatible provider, slow', () => {
  it('gives up after ASSISTANT_TIMEOUT_MS and says so', async () => {
    const { client } = await setUp(() => ({ hang: true }), {
      ASSISTANT_TIMEOUT_MS: '500',
      ASSISTANT_MAX_RETRIES: '0',
    });
    const started = Date.now();
    const reply = await chat(client, 'hello');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reply.errors).toEqual([
      "The assistant's model provider (custom (test-model)) took too long to answer; try again.",
    ]);
  });
});

describe('assistant configuration', () => {
  it('names each missing setting of the openai-compatible mode', async () => {
    const { loadConfig } = await import('../src/config/index.ts');
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://x@localhost/db',
        PUBLIC_URL: 'http://localhost:3000',
        AUTH_SECRET: 'x'.repeat(32),
        ASSISTANT_MODE: 'openai-compatible',
        ASSISTANT_PROVIDER: 'groq',
      }),
    ).toThrow(
      /ASSISTANT_MODEL: is required when ASSISTANT_MODE=openai-compatible\n.*ASSISTANT_API_KEY: is required for ASSISTANT_PROVIDER=groq/,
    );
  });
});
