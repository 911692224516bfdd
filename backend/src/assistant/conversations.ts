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

/**
 * A user's turn begins: creates the conversation unless it exists (touching
 * its updated_at otherwise) and saves the user's message, in one statement.
 * Undefined when the id is another user's conversation. Then, for a
 * conversation that already existed, the history before this message.
 */
export async function beginTurn(
  db: pg.Pool,
  turn: {
    userId: string;
    conversationId: string;
    title: string;
    message: { id: string; parts: unknown[] };
    historyLimit: number;
  },
): Promise<{ history: StoredMessage[] } | undefined> {
  const { rows } = await db.query<{ created: boolean; seq: string }>(
    `WITH conversation AS (
       INSERT INTO conversations (id, user_id, title) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET updated_at = now() WHERE conversations.user_id = $2
       RETURNING (xmax = 0) AS created
     ), saved AS (
       INSERT INTO chat_messages (conversation_id, id, role, parts)
       SELECT $1, $4, 'user', $5 FROM conversation
       ON CONFLICT (conversation_id, id) DO UPDATE SET parts = EXCLUDED.parts
       RETURNING seq
     )
     SELECT conversation.created, saved.seq FROM conversation, saved`,
    [turn.conversationId, turn.userId, turn.title, turn.message.id, JSON.stringify(turn.message.parts)],
  );
  const row = rows[0];
  if (!row) return undefined;
  // A new conversation has no history to read.
  if (row.created) return { history: [] };
  const { rows: history } = await db.query<StoredMessage>(
    `SELECT id, role, parts, "createdAt" FROM (
       SELECT seq, id, role, parts, created_at AS "createdAt" FROM chat_messages
        WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3
     ) recent ORDER BY seq`,
    [turn.conversationId, row.seq, turn.historyLimit],
  );
  return { history };
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

/** Saves the assistant's reply (its conversation's updated_at was set when the turn began). */
export async function saveReply(
  db: pg.Pool,
  conversationId: string,
  message: { id: string; parts: unknown[] },
): Promise<void> {
  await db.query(
    `INSERT INTO chat_messages (conversation_id, id, role, parts) VALUES ($1, $2, 'assistant', $3)
     ON CONFLICT (conversation_id, id) DO UPDATE SET parts = EXCLUDED.parts`,
    [conversationId, message.id, JSON.stringify(message.parts)],
  );
}
