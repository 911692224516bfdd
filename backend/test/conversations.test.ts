import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.ts';
import { chat } from './support/chat.ts';
import { signedUpClient, type Client } from './support/client.ts';

// Reading conversations back: paged, and no answer larger than the bound the
// document states, however long a conversation or large its tool outputs.

let api: RunningApi;
let db: pg.Pool;
beforeAll(async () => {
  api = await startApi({ env: { RATE_LIMIT_CHAT_MAX: '1000' } });
  db = new pg.Pool({ connectionString: api.databaseUrl, max: 2 });
});
afterAll(async () => {
  await db.end();
  await api.close();
});

async function pages<T>(client: Client, path: string, pick: (body: any) => T[]): Promise<T[][]> {
  const all: T[][] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const reply = await client.request('GET', cursor ? `${path}${separator}cursor=${cursor}` : path);
    expect(reply.status).toBe(200);
    all.push(pick(reply.body));
    cursor = reply.body.nextCursor as string | null;
  } while (cursor && all.length < 50);
  return all;
}

/** Stored messages added straight to a conversation: a long history with large tool outputs. */
async function addMessages(conversationId: string, sizes: number[]): Promise<void> {
  for (const [index, size] of sizes.entries()) {
    const part = {
      type: 'tool-list_tasks',
      toolCallId: `c${index}`,
      state: 'output-available',
      output: 'x'.repeat(size),
    };
    await db.query(
      `INSERT INTO chat_messages (conversation_id, id, role, parts) VALUES ($1, $2, 'assistant', $3)`,
      [conversationId, `big-${index}`, JSON.stringify([part])],
    );
  }
}

describe('GET /api/conversations', () => {
  it('pages through every conversation once, latest first', async () => {
    const client = await signedUpClient(api.url);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await chat(client, `hello ${i}`)).conversationId!);
    const listed = await pages(client, '/api/conversations?limit=2', (body) =>
      (body.items as { id: string }[]).map((c) => c.id),
    );
    expect(listed.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(listed.flat()).toEqual(ids.reverse());
  });
});

describe('GET /api/conversations/:id', () => {
  it('answers the latest messages, oldest first, and older ones through nextCursor', async () => {
    const client = await signedUpClient(api.url);
    const id = (await chat(client, 'add buy milk')).conversationId!;
    await chat(client, 'add call mom', { id });
    await chat(client, 'show my tasks', { id });
    const texts = await pages(client, `/api/conversations/${id}?limit=4`, (body) =>
      (body.messages as { role: string }[]).map((m) => m.role),
    );
    expect(texts).toEqual([
      ['user', 'assistant', 'user', 'assistant'],
      ['user', 'assistant'],
    ]);
    const latest = await client.request('GET', `/api/conversations/${id}?limit=1`);
    expect(latest.body.messages[0].role).toBe('assistant');
    expect(latest.body.messages[0].parts.some((p: { type: string }) => p.type === 'tool-list_tasks')).toBe(
      true,
    );
  });

  it('holds at most 256 KiB of messages (one at least), however large the tool outputs', async () => {
    const client = await signedUpClient(api.url);
    const id = (await chat(client, 'hello')).conversationId!;
    await addMessages(id, [100_000, 100_000, 100_000, 400_000, 100_000]);
    const seen = await pages(client, `/api/conversations/${id}?limit=100`, (body) =>
      (body.messages as { id: string }[]).map((m) => m.id),
    );
    // Newest first: big-4 alone (with big-3 it would pass the bound), big-3 alone (larger than the
    // bound itself), big-1 and big-2 (a third would pass it), then what is left.
    expect(seen).toEqual([
      ['big-4'],
      ['big-3'],
      ['big-1', 'big-2'],
      [expect.any(String), expect.any(String), 'big-0'],
    ]);
    for (const page of seen) expect(page.length).toBeGreaterThan(0);

    const whole = await client.request('GET', `/api/conversations/${id}?limit=100`);
    expect(Buffer.byteLength(JSON.stringify(whole.body))).toBeLessThan(300_000);
  });

  it('takes any cursor of the documented shape, and answers 400 naming the field to anything else', async () => {
    const client = await signedUpClient(api.url);
    const id = (await chat(client, 'hello')).conversationId!;
    const { body: document } = await client.request('GET', '/api/openapi.json');
    const patternOf = (path: string) =>
      new RegExp(
        (document.paths[path].get.parameters as { name: string; schema: { pattern: string } }[]).find(
          (p) => p.name === 'cursor',
        )!.schema.pattern,
      );
    for (const [path, cursor, count] of [
      ['/api/conversations', `99999999999999999.${id}`, 1],
      ['/api/conversations', `0.${id}`, 0],
      ['/api/conversations/{id}', '1', 0],
      ['/api/conversations/{id}', '999999999999999999', 2],
    ] as const) {
      expect(cursor).toMatch(patternOf(path));
      const reply = await client.request('GET', `${path.replace('{id}', id)}?cursor=${cursor}`);
      expect(reply.status, `${path} ${cursor}`).toBe(200);
      expect((reply.body.items ?? reply.body.messages).length, `${path} ${cursor}`).toBe(count);
    }
    for (const path of ['/api/conversations', `/api/conversations/${id}`]) {
      const reply = await client.request('GET', `${path}?cursor=not-a-cursor&limit=500`);
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.fields).sort()).toEqual(['cursor', 'limit']);
    }
  });
});

describe('POST /api/chat time zones', () => {
  it('uses the default for a zone this server does not know, and refuses what is not a zone name', async () => {
    const client = await signedUpClient(api.url);
    const unknown = await chat(client, 'add buy milk tomorrow', { timeZone: 'Mars/Olympus_Mons' });
    expect(unknown.status).toBe(200);
    expect(unknown.toolCalls.map((call) => call.toolName)).toEqual(['create_task']);
    const bad = await chat(client, 'hello', { timeZone: '../etc/passwd' });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body as { fields: object }).fields)).toEqual(['timeZone']);
  });
});
