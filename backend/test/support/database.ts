import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/migrations/index.ts';

export const templateName = 'todo_template';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the migrated template every test database is copied from. */
export async function createTemplate(serverUrl: string): Promise<void> {
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${templateName}`));
  await migrate({ databaseUrl: withDatabase(serverUrl, templateName) });
}

/** A fresh, migrated database for one test file; returns its URL. */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`));
  return withDatabase(serverUrl, name);
}

/** A fresh database without any migration applied (for migration tests). */
export async function createEmptyDatabase(serverUrl: string): Promise<string> {
  const name = `e_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return withDatabase(serverUrl, name);
}
