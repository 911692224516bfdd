import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../src/migrations/index.ts';
import { createEmptyDatabase } from './support/database.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/migrations/cli.ts', import.meta.url));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const allMigrations = [
  '20261122000000_accounts',
  '20261122000100_tasks',
  '20261122000200_conversations',
  '20261203000000_chat_replies',
];

describe('migrations', () => {
  it('create the whole schema, auth tables included, and a second run changes nothing', async () => {
    const url = await createEmptyDatabase(inject('postgresUrl'));
    expect(await migrate({ databaseUrl: url })).toEqual(allMigrations);
    expect(await migrate({ databaseUrl: url })).toEqual([]);
    const tables = await query<{ tablename: string }>(
      url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.tablename)).toEqual([
      'accounts',
      'chat_messages',
      'conversations',
      'idempotency_keys',
      'schema_migrations',
      'sessions',
      'tasks',
      'users',
      'verifications',
    ]);
  });

  it('index the list queries by user', async () => {
    const url = await createEmptyDatabase(inject('postgresUrl'));
    await migrate({ databaseUrl: url });
    const indexes = await query<{ indexdef: string }>(
      url,
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'tasks'",
    );
    const definitions = indexes.map((i) => i.indexdef).join('\n');
    expect(definitions).toContain('(user_id, created_at DESC, id DESC)');
    expect(definitions).toContain("(user_id, COALESCE(due_date, 'infinity'::date), id)");
    expect(definitions).toContain('(user_id, status, due_date)');
  });

  it('are safe to start twice at once (one waits for the other)', async () => {
    const url = await createEmptyDatabase(inject('postgresUrl'));
    const [a, b] = await Promise.all([migrate({ databaseUrl: url }), migrate({ databaseUrl: url })]);
    expect([...a, ...b].sort()).toEqual(allMigrations);
    const applied = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM schema_migrations');
    expect(applied[0]?.n).toBe(allMigrations.length);
  });

  it('run as a command that reports what it did, and fails clearly without a database', async () => {
    const url = await createEmptyDatabase(inject('postgresUrl'));
    const first = await run(process.execPath, [cli], { env: { PATH: process.env.PATH, DATABASE_URL: url } });
    expect(first.stdout.trim()).toBe(`migrate: applied ${allMigrations.join(', ')}`);
    const second = await run(process.execPath, [cli], { env: { PATH: process.env.PATH, DATABASE_URL: url } });
    expect(second.stdout.trim()).toBe('migrate: schema is up to date');

    const failure = await run(process.execPath, [cli], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: 'postgres://todo:todo@127.0.0.1:1/todo',
        MIGRATE_WAIT_SECONDS: '1',
      },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect('code' in failure && failure.code).toBe(1);
    expect(failure.stderr).toContain('did not answer within 1s; check DATABASE_URL');
  });
});
