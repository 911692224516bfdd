import type { PoolClient } from 'pg';
import type { Db } from '../db/index.ts';
import type { CreateTaskInput, Task } from './schema.ts';

const uniqueViolation = '23505';

/** How long a key's first answer is replayed. */
const retention = "interval '24 hours'";

/** A key that was taken: the request it answered (by hash) and that answer. */
export interface TakenKey {
  requestHash: string;
  response: Task;
}

/**
 * The task as the API answers it, in SQL: what is stored to replay. Timestamps
 * as db/timestamps.ts writes them (milliseconds, truncated), dates as text.
 */
const answer = (row: string) => {
  const iso = (column: string) =>
    `to_char(${row}.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `jsonb_build_object(
    'id', ${row}.id, 'title', ${row}.title, 'notes', ${row}.notes, 'status', ${row}.status,
    'priority', ${row}.priority, 'dueDate', ${row}.due_date::text, 'completedAt', ${iso('completed_at')},
    'createdAt', ${iso('created_at')}, 'updatedAt', ${iso('updated_at')}, 'version', ${row}.version)`;
};

/**
 * Creates a task and records its answer under (user, key), in one statement:
 * the task and the key are stored together or not at all, in one round trip.
 * When the key is taken (by a request before, or one in flight, whose
 * statement this one waits for), nothing is created and the key's first
 * answer comes back instead. An expired key is reclaimed.
 */
export async function createOnce(
  db: Db,
  userId: string,
  key: string,
  requestHash: string,
  input: CreateTaskInput,
): Promise<{ created: Task } | { taken: TakenKey }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { rows } = await db.query<{ response: Task }>(
        `WITH task AS (
           INSERT INTO tasks (user_id, title, notes, priority, due_date)
           VALUES ($1, $4, $5, $6, $7) RETURNING *
         ), claim AS (
           INSERT INTO idempotency_keys (user_id, key, request_hash, response)
           SELECT $1, $2, $3, ${answer('task')} FROM task
           RETURNING response
         )
         SELECT response FROM claim`,
        [userId, key, requestHash, input.title, input.notes, input.priority, input.dueDate],
      );
      return { created: rows[0]?.response as Task };
    } catch (error) {
      if ((error as { code?: string }).code !== uniqueViolation) throw error;
    }
    const { rows } = await db.query<{ request_hash: string; response: Task | null; expired: boolean }>(
      `SELECT request_hash, response, created_at < now() - ${retention} AS expired
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    const row = rows[0];
    // Taken and still valid (or kept by an older version's request in flight): its answer.
    if (row && !row.expired && row.response)
      return { taken: { requestHash: row.request_hash, response: row.response } };
    if (attempt > 0) throw new Error('an idempotency key could not be claimed');
    // Expired (or gone meanwhile): free it and try once more.
    await db.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at < now() - ${retention}`,
      [userId, key],
    );
  }
}

export async function purgeExpiredKeys(db: { query: PoolClient['query'] }): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - ${retention}`);
  return rowCount ?? 0;
}
