import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.ts';
import { signedUpClient, type Client } from './support/client.ts';

let api: RunningApi;
let alice: Client;
beforeAll(async () => {
  api = await startApi();
  alice = await signedUpClient(api.url);
});
afterAll(async () => {
  await api.close();
});

describe('task lifecycle', () => {
  it('creates a task with defaults and reads it back', async () => {
    const created = await alice.createTask({ title: '  buy milk  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'buy milk',
      notes: '',
      status: 'open',
      priority: 'medium',
      dueDate: null,
      completedAt: null,
      version: 1,
    });
    expect(created.headers.get('location')).toBe(`/api/tasks/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');

    const read = await alice.getTask(created.body.id);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('edits with the current version, completes, reopens and deletes', async () => {
    const { body: task } = await alice.createTask({ title: 'write report', priority: 'low' });

    const edited = await alice.updateTask(task.id, {
      title: 'write the report',
      dueDate: '2026-12-03',
      version: 1,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'write the report', dueDate: '2026-12-03', version: 2 });

    const viaHeader = await alice.updateTask(task.id, { priority: 'high' }, { 'if-match': '"2"' });
    expect(viaHeader.body).toMatchObject({ priority: 'high', version: 3 });

    const done = await alice.setStatus(task.id, 'complete');
    expect(done.body).toMatchObject({ status: 'done', version: 4 });
    expect(done.body.completedAt).not.toBeNull();
    const again = await alice.setStatus(task.id, 'complete');
    expect(again.body).toMatchObject({ status: 'done', version: 4 });

    const reopened = await alice.setStatus(task.id, 'reopen');
    expect(reopened.body).toMatchObject({ status: 'open', completedAt: null, version: 5 });

    expect((await alice.deleteTask(task.id)).status).toBe(204);
    expect((await alice.getTask(task.id)).status).toBe(404);
    expect((await alice.deleteTask(task.id)).status).toBe(404);
  });
});

describe('validation', () => {
  it('answers 400 naming each bad field and stores nothing', async () => {
    const before = (await alice.listTasks({ limit: 100 })).body.items.length;
    const reply = await alice.createTask({
      title: 'x'.repeat(201),
      priority: 'urgent',
      dueDate: '2026-02-30',
      colour: 'red',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(reply.body.fields).sort()).toEqual(['colour', 'dueDate', 'priority', 'title']);
    expect(reply.body.fields.colour).toBe('is not a known field');
    expect((await alice.listTasks({ limit: 100 })).body.items.length).toBe(before);
  });

  it('rejects an empty title, a missing body, non-JSON bodies and malformed JSON', async () => {
    expect((await alice.createTask({ title: '   ' })).body.fields).toEqual({ title: 'must not be empty' });
    expect((await alice.request('POST', '/api/tasks')).status).toBe(400);
    expect(
      (await alice.request('POST', '/api/tasks', { raw: 'title', headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(415);
    const malformed = await alice.request('POST', '/api/tasks', {
      raw: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
  });

  it('holds to the limits the OpenAPI document states: 400 naming the field, never 500', async () => {
    const { body: task } = await alice.createTask({ title: 'limits' });
    // version is a Postgres integer: past it, 400 (it was a 500 from Postgres).
    const huge = await alice.updateTask(task.id, { title: 'x', version: 2 ** 31 });
    expect(huge.status).toBe(400);
    expect(huge.body.fields).toEqual({ version: 'must be at most 2147483647' });
    expect((await alice.updateTask(task.id, { title: 'x', version: 2 ** 31 - 1 })).status).toBe(409);

    // Postgres has no year 0: 400 naming the field (it was a 500).
    const yearZero = await alice.createTask({ title: 'x', dueDate: '0000-01-01' });
    expect(yearZero.body.fields).toEqual({ dueDate: 'must be a date from year 0001 to 9999' });
    expect((await alice.listTasks({ dueBefore: '0000-02-29' })).body.fields).toHaveProperty('dueBefore');
    for (const dueDate of ['0001-01-01', '9999-12-31']) {
      expect((await alice.createTask({ title: 'edge', dueDate })).status).toBe(201);
    }

    // Only white space (as String.prototype.trim sees it, U+3000 and U+FEFF too) is empty.
    const blank = await alice.createTask({ title: ' \u3000\ufeff\t' });
    expect(blank.body.fields).toEqual({ title: 'must not be empty' });
    expect((await alice.listTasks({ q: '  ' })).body.fields).toEqual({ q: 'must not be empty' });
    // The length limit counts what was sent, as the document's maxLength does.
    expect((await alice.createTask({ title: ` ${'x'.repeat(199)} ` })).body.fields).toHaveProperty('title');
    expect((await alice.createTask({ title: ` ${'x'.repeat(198)} ` })).status).toBe(201);
    // Characters are counted as the document (and Postgres) count them: code points, not UTF-16 units.
    expect((await alice.createTask({ title: '😀'.repeat(200) })).status).toBe(201);
    expect((await alice.createTask({ title: '😀'.repeat(201) })).body.fields).toEqual({
      title: 'must be at most 200 characters',
    });
  });

  it('answers 428 to an edit without a version, and 409 to two versions that differ', async () => {
    const { body: task } = await alice.createTask({ title: 'versions' });
    const unconditional = await alice.updateTask(task.id, { title: 'y' });
    expect(unconditional.status).toBe(428);
    expect(unconditional.body.fields).toHaveProperty('version');
    const twoVersions = await alice.updateTask(task.id, { title: 'y', version: 1 }, { 'if-match': '"2"' });
    expect(twoVersions.status).toBe(409);
    expect(twoVersions.body.code).toBe('VERSION_CONFLICT');
    expect((await alice.getTask(task.id)).body.title).toBe('versions');
  });

  it('refuses a NUL character (which Postgres cannot store) in title, notes and search as 400 naming the field', async () => {
    const before = (await alice.listTasks({ limit: 100 })).body.items.length;
    const created = await alice.createTask({ title: 'a\u0000b', notes: 'c\u0000' });
    expect(created.status).toBe(400);
    expect(created.body.fields).toEqual({
      title: 'must not contain NUL characters (U+0000)',
      notes: 'must not contain NUL characters (U+0000)',
    });
    expect((await alice.listTasks({ limit: 100 })).body.items.length).toBe(before);

    const { body: task } = await alice.createTask({ title: 'clean' });
    const edited = await alice.updateTask(task.id, { notes: '\u0000', version: 1 });
    expect(edited.status).toBe(400);
    expect(Object.keys(edited.body.fields)).toEqual(['notes']);
    expect((await alice.getTask(task.id)).body).toMatchObject({ notes: '', version: 1 });

    const search = await alice.listTasks({ q: 'mi\u0000lk' });
    expect(search.status).toBe(400);
    expect(Object.keys(search.body.fields)).toEqual(['q']);
  });

  it('rejects a body over the size limit with 413', async () => {
    const reply = await alice.createTask({ title: 'big', notes: 'x'.repeat(200_000) });
    expect(reply.status).toBe(413);
    expect(reply.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('validates list queries, ids and update bodies the same way', async () => {
    const list = await alice.listTasks({ status: 'finished', limit: 1000, extra: 1 });
    expect(list.status).toBe(400);
    expect(Object.keys(list.body.fields).sort()).toEqual(['extra', 'limit', 'status']);

    expect((await alice.getTask('42')).body.fields).toEqual({ id: 'must be a task id (UUID)' });

    const { body: task } = await alice.createTask({ title: 'validate me' });
    const nothing = await alice.updateTask(task.id, { version: 1 });
    expect(nothing.status).toBe(400);
    const badIfMatch = await alice.updateTask(task.id, { title: 'x' }, { 'if-match': 'yesterday' });
    expect(badIfMatch.body.fields).toHaveProperty('if-match');
  });
});

describe('isolation between users', () => {
  it('answers 404 for another user’s task, on every operation, and changes nothing', async () => {
    const { body: secret } = await alice.createTask({ title: 'alice only', notes: 'private' });
    const bob = await signedUpClient(api.url);

    for (const reply of [
      await bob.getTask(secret.id),
      await bob.updateTask(secret.id, { title: 'pwned', version: 1 }),
      await bob.setStatus(secret.id, 'complete'),
      await bob.deleteTask(secret.id),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe('TASK_NOT_FOUND');
      expect(JSON.stringify(reply.body)).not.toContain('private');
    }
    expect((await bob.listTasks()).body.items).toEqual([]);
    expect((await alice.getTask(secret.id)).body).toMatchObject({
      title: 'alice only',
      status: 'open',
      version: 1,
    });
  });

  it('answers 401 without a session', async () => {
    const { Client } = await import('./support/client.ts');
    const anonymous = new Client(api.url);
    const reply = await anonymous.listTasks();
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result to a retry and creates one task', async () => {
    const key = randomUUID();
    // Every field the answer carries, so the replay must match it byte for byte.
    const body = { title: `idempotent ${key}`, notes: 'oat', priority: 'high', dueDate: '0001-02-03' };
    const first = await alice.createTask(body, { 'idempotency-key': key });
    const retry = await alice.createTask(body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await alice.listTasks({ q: key })).body.items).toHaveLength(1);
  });

  it('creates one task when the same request races with itself', async () => {
    const key = randomUUID();
    const body = { title: `race ${key}` };
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => alice.createTask(body, { 'idempotency-key': key })),
    );
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect((await alice.listTasks({ q: key })).body.items).toHaveLength(1);
  });

  it('forgets a key after 24 hours: the same request then creates another task', async () => {
    const key = randomUUID();
    const body = { title: `expiring ${key}` };
    const first = await alice.createTask(body, { 'idempotency-key': key });
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [
      key,
    ]);
    await db.end();
    const later = await alice.createTask(body, { 'idempotency-key': key });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
    expect((await alice.createTask(body, { 'idempotency-key': key })).body.id).toBe(later.body.id);
  });

  it('refuses the same key with a different body, and keys are per user', async () => {
    const key = randomUUID();
    await alice.createTask({ title: 'first' }, { 'idempotency-key': key });
    const reused = await alice.createTask({ title: 'second' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const bob = await signedUpClient(api.url);
    const bobs = await bob.createTask({ title: 'first' }, { 'idempotency-key': key });
    expect(bobs.status).toBe(201);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('versions', () => {
  it('answers 409 to a stale version with the current task, and changes nothing', async () => {
    const { body: task } = await alice.createTask({ title: 'contended' });
    expect((await alice.updateTask(task.id, { title: 'first writer', version: 1 })).status).toBe(200);

    const stale = await alice.updateTask(task.id, { title: 'second writer', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(stale.body.current).toMatchObject({ title: 'first writer', version: 2 });

    expect((await alice.setStatus(task.id, 'complete', { 'if-match': '"1"' })).status).toBe(409);
    expect((await alice.deleteTask(task.id, { 'if-match': '"1"' })).status).toBe(409);
    expect((await alice.getTask(task.id)).body).toMatchObject({
      title: 'first writer',
      status: 'open',
      version: 2,
    });
  });

  it('lets exactly one of two concurrent writers with the same version win', async () => {
    const { body: task } = await alice.createTask({ title: 'race' });
    const replies = await Promise.all([
      alice.updateTask(task.id, { title: 'A', version: 1 }),
      alice.updateTask(task.id, { title: 'B', version: 1 }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('listing', () => {
  let carol: Client;
  beforeAll(async () => {
    carol = await signedUpClient(api.url);
    const tasks = [
      { title: 'Pay rent', priority: 'high', dueDate: '2026-12-01' },
      { title: 'buy milk', priority: 'medium', dueDate: '2026-11-20', notes: 'oat milk please' },
      { title: 'Call mum', priority: 'low' },
      { title: 'file taxes', priority: 'high', dueDate: '2027-01-15' },
      { title: 'water plants 100%', priority: 'low', dueDate: '2026-11-25' },
    ];
    for (const task of tasks) expect((await carol.createTask(task)).status).toBe(201);
    const { body } = await carol.listTasks({ q: 'milk' });
    await carol.setStatus(body.items[0].id, 'complete');
  });

  const titles = async (query: Record<string, string | number>) =>
    ((await carol.listTasks(query)).body.items as { title: string }[]).map((t) => t.title);

  it('lists newest first by default', async () => {
    expect(await titles({})).toEqual(['water plants 100%', 'file taxes', 'Call mum', 'buy milk', 'Pay rent']);
  });

  it('filters by status, priority, due dates and words in title or notes', async () => {
    expect(await titles({ status: 'done' })).toEqual(['buy milk']);
    expect(await titles({ status: 'open', priority: 'high', sort: 'dueDate' })).toEqual([
      'Pay rent',
      'file taxes',
    ]);
    expect(await titles({ dueBefore: '2026-12-01', sort: 'dueDate' })).toEqual([
      'buy milk',
      'water plants 100%',
    ]);
    expect(await titles({ dueAfter: '2026-12-01' })).toEqual(['file taxes']);
    expect(await titles({ q: 'OAT' })).toEqual(['buy milk']);
    expect(await titles({ q: '100%' })).toEqual(['water plants 100%']);
    expect(await titles({ q: '%' })).toEqual(['water plants 100%']);
  });

  it('sorts by due date (undated last), priority and title', async () => {
    expect(await titles({ sort: 'dueDate' })).toEqual([
      'buy milk',
      'water plants 100%',
      'Pay rent',
      'file taxes',
      'Call mum',
    ]);
    expect((await titles({ sort: '-priority' })).slice(0, 2).sort()).toEqual(['Pay rent', 'file taxes']);
    expect(await titles({ sort: 'title' })).toEqual([
      'buy milk',
      'Call mum',
      'file taxes',
      'Pay rent',
      'water plants 100%',
    ]);
  });

  it('pages with a cursor through every task exactly once, in every sort order', async () => {
    for (const sort of [
      '-createdAt',
      'createdAt',
      'dueDate',
      '-dueDate',
      'priority',
      '-priority',
      'title',
      '-updatedAt',
    ]) {
      const all = await titles({ sort, limit: 100 });
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { sort, limit: 2 };
        if (cursor) query.cursor = cursor;
        const { body } = await carol.listTasks(query);
        paged.push(...(body.items as { title: string }[]).map((t) => t.title));
        cursor = body.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
    }
  });

  it('goes on in the cursor’s own sort order, whatever sort says; anything else answers 400 naming cursor', async () => {
    const byTitle = await titles({ sort: 'title', limit: 100 });
    const { body: first } = await carol.listTasks({ sort: 'title', limit: 2 });
    const next = await carol.listTasks({ sort: '-createdAt', limit: 100, cursor: first.nextCursor });
    expect(next.status).toBe(200);
    expect((next.body.items as { title: string }[]).map((t) => t.title)).toEqual(byTitle.slice(2));

    for (const cursor of ['garbage', Buffer.from('["title","a","x"]').toString('base64url')]) {
      const reply = await carol.listTasks({ cursor });
      expect(reply.status).toBe(400);
      expect(reply.body.fields).toEqual({ cursor: 'is not a cursor from this API' });
    }
  });

  it('takes every string of the documented cursor pattern as a position, never 400 or 500', async () => {
    const { body: document } = await carol.request('GET', '/api/openapi.json');
    const parameters = document.paths['/api/tasks'].get.parameters as {
      name: string;
      schema: { pattern: string };
    }[];
    const pattern = new RegExp(parameters.find((p) => p.name === 'cursor')?.schema.pattern ?? '^$');
    const id = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    const weird = Buffer.from('Zzz \u0000 ünïcödé \uffff').toString('base64url');
    for (const cursor of [
      `-createdAt.99999999999999999.${id}`,
      `createdAt.0.${id}`,
      `updatedAt.1798761600000000.${id}`,
      `dueDate.-999999.${id}`,
      `-dueDate.9999999.${id}`,
      `dueDate.none.${id}`,
      `priority.3.${id}`,
      `-title..${id}`,
      `title.${weird}.${id}`,
      `title.A.${id}`,
    ]) {
      expect(cursor).toMatch(pattern);
      const reply = await carol.listTasks({ cursor, limit: 100 });
      expect(reply.status, cursor).toBe(200);
    }
    // The first position of each order holds every task; the last, none.
    const zero = '00000000-0000-0000-0000-000000000000';
    expect((await carol.listTasks({ cursor: `createdAt.0.${zero}` })).body.items).toHaveLength(5);
    expect((await carol.listTasks({ cursor: `-createdAt.0.${id}` })).body.items).toHaveLength(0);
  });
});
