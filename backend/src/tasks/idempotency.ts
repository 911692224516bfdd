import type { PoolClient } from 'pg';
import type { Task } from './schema.ts';

/** How long a key's first answer is replayed. */
const retention = "interval '24 hours'";

/**
 * Claims (user, key) for this request inside the caller's transaction. A
 * concurrent claim of the same key blocks on the primary key until the first
 * transaction ends, then sees its stored answer. Expired keys are reclaimed.
 */
export async function claimKey(
  client: PoolClient,
  userId: string,
  key: string,
  requestHash: string,
): Promise<{ claimed: true } | { claimed: false; requestHash: string; response: Task }> {
  const claim = await client.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - ${retention}
     RETURNING 1`,
    [userId, key, requestHash],
  );
  if (claim.rowCount === 1) return { claimed: true };
  const { rows } = await client.query<{ request_hash: string; response: Task }>(
    'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
    [userId, key],
  );
  const row = rows[0];
  if (!row) throw new Error('idempotency key vanished between claim and read');
  return { claimed: false, requestHash: row.request_hash, response: row.response };
}

export async function storeResponse(
  client: PoolClient,
  userId: string,
  key: string,
  response: Task,
): Promise<void> {
  await client.query('UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2', [
    userId,
    key,
    JSON.stringify(response),
  ]);
}

export async function purgeExpiredKeys(db: { query: PoolClient['query'] }): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - ${retention}`);
  return rowCount ?? 0;
}
