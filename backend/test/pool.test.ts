import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { createPool } from '../src/db/index.ts';
import { createTestDatabase } from './support/database.ts';

describe('the database pool', () => {
  // What `docker restart postgres` does to a replica mid-transaction: the server
  // ends the connection a request holds ("terminating connection due to
  // administrator command"). Nothing may turn that into an uncaught 'error'.
  it('survives Postgres ending a connection that is checked out, and drops that client', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    const lines: { msg: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const pool = createPool({ connectionString: databaseUrl, max: 2, name: 'todo-pool-test', logger });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const ended = new Promise((resolve) => client.once('end', resolve));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await ended;
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(lines.map((line) => line.msg)).toContain('database connection lost while in use');
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      // The dead client is not handed out again.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
