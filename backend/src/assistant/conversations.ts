import type pg from 'pg';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  parts: Array<{ type: string; [key: string]: unknown }>;
  createdAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** The conversation if it is this user's; `other` if it exists but is someone else's. */
export async function findConversation(
  db: pg.Pool,
  userId: string,
  id: string,
): Promise<ConversationSummary | 'other' | undefined> {
  const { rows } = await db.query<ConversationSummary & { userId: string }>(
    `SELECT id, user_id AS "userId", title, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM conversations WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.userId !== userId) return 'other';
  const { userId: _owner, ...conversation } = row;
  return conversation;
}

/** Creates the conversation unless it exists; false when the id is taken by another user. */
export async function ensureConversation(
  db: pg.Pool,
  userId: string,
  id: string,
  title: string,
): Promise<boolean> {
  const { rows } = await db.query<{ userId: string }>(
    `INSERT INTO conversations (id, user_id, title) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET updated_at = now() WHERE conversations.user_id = $2
     RETURNING user_id AS "userId"`,
    [id, userId, title],
  );
  return rows.length === 1;
}

export async function listConversations(
  db: pg.Pool,
  userId: string,
  limit: number,
): Promise<ConversationSummary[]> {
  const { rows } = await db.query<ConversationSummary>(
    `SELECT id, title, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM conversations WHERE user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

/** The last `limit` messages, oldest first. */
export async function loadMessages(
  db: pg.Pool,
  conversationId: string,
  limit: number,
): Promise<StoredMessage[]> {
  const { rows } = await db.query<StoredMessage>(
    `SELECT id, role, parts, "createdAt" FROM (
       SELECT seq, id, role, parts, created_at AS "createdAt" FROM chat_messages
        WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
     ) recent ORDER BY seq`,
    [conversationId, limit],
  );
  return rows;
}

/** Saves a message; saving the same message id again replaces its parts. */
export async function saveMessage(
  db: pg.Pool,
  conversationId: string,
  message: { id: string; role: 'user' | 'assistant'; parts: unknown[] },
): Promise<void> {
  await db.query(
    `WITH saved AS (
       INSERT INTO chat_messages (conversation_id, id, role, parts) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id, id) DO UPDATE SET parts = EXCLUDED.parts
       RETURNING 1
     )
     UPDATE conversations SET updated_at = now() WHERE id = $1`,
    [conversationId, message.id, message.role, JSON.stringify(message.parts)],
  );
}
