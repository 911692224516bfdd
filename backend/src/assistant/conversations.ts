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

/** What a turn begins with: the history before the message, or what became of the same message sent before. */
export type BegunTurn =
  | { history: StoredMessage[] }
  | {
      /** The message was sent before under this id: its text then, and the reply if one was saved. */
      resent: { sameText: boolean; reply: StoredMessage | undefined };
    };

/**
 * A user's turn begins: creates the conversation unless it exists (touching
 * its updated_at otherwise) and saves the user's message, in one statement.
 * Undefined when the id is another user's conversation. Then, for a
 * conversation that already existed, the history before this message; for a
 * message already saved under this id (a retry), what it was and its reply.
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
): Promise<BegunTurn | undefined> {
  const { rows } = await db.query<{ created: boolean | null; seq: string | null }>(
    `WITH conversation AS (
       INSERT INTO conversations (id, user_id, title) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET updated_at = now() WHERE conversations.user_id = $2
       RETURNING (xmax = 0) AS created
     ), saved AS (
       INSERT INTO chat_messages (conversation_id, id, role, parts)
       SELECT $1, $4, 'user', $5 FROM conversation
       ON CONFLICT (conversation_id, id) DO NOTHING
       RETURNING seq
     )
     SELECT (SELECT created FROM conversation) AS created, (SELECT seq FROM saved) AS seq`,
    [turn.conversationId, turn.userId, turn.title, turn.message.id, JSON.stringify(turn.message.parts)],
  );
  const row = rows[0];
  if (row?.created === null || row?.created === undefined) return undefined;
  if (row.seq === null) return { resent: await earlierSend(db, turn.conversationId, turn.message) };
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

/** The user message saved before under this id, compared with this one, and the reply to it. */
async function earlierSend(
  db: pg.Pool,
  conversationId: string,
  message: { id: string; parts: unknown[] },
): Promise<{ sameText: boolean; reply: StoredMessage | undefined }> {
  const { rows } = await db.query<StoredMessage & { same: boolean }>(
    `SELECT m.id, m.role, m.parts, m.created_at AS "createdAt", u.parts = $3::jsonb AS same
       FROM chat_messages u
       LEFT JOIN chat_messages m ON m.conversation_id = u.conversation_id AND m.reply_to = u.id
      WHERE u.conversation_id = $1 AND u.id = $2 AND u.role = 'user'
      ORDER BY m.seq DESC NULLS LAST LIMIT 1`,
    [conversationId, message.id, JSON.stringify(message.parts)],
  );
  const row = rows[0];
  const { same, ...reply } = row ?? { same: false };
  return { sameText: same, reply: row?.id ? (reply as StoredMessage) : undefined };
}

/**
 * A conversation list's cursor: the last conversation's updated_at (microseconds
 * since 1970) and id. Every string of this shape is a position in the list.
 */
export const conversationCursorPattern = /^[0-9]{1,17}\.[A-Za-z0-9_-]{1,100}$/;

/** A page of the user's conversations, latest first. */
export async function listConversations(
  db: pg.Pool,
  userId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const values: unknown[] = [userId, page.limit + 1];
  let after = '';
  if (page.cursor) {
    const separator = page.cursor.indexOf('.');
    const micros = BigInt(page.cursor.slice(0, separator));
    values.push(String(micros / 1_000_000n), String(micros % 1_000_000n), page.cursor.slice(separator + 1));
    after = `AND (updated_at, id) < (timestamptz 'epoch' + $3::bigint * interval '1 second'
               + $4::integer * interval '1 microsecond', $5)`;
  }
  const { rows } = await db.query<ConversationSummary & { key: string }>(
    `SELECT id, title, created_at AS "createdAt", updated_at AS "updatedAt",
            (extract(epoch FROM updated_at) * 1000000)::bigint::text AS key
       FROM conversations WHERE user_id = $1 ${after}
      ORDER BY updated_at DESC, id DESC LIMIT $2`,
    values,
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ key: _key, ...summary }) => summary),
    nextCursor: rows.length > page.limit && last ? `${last.key}.${last.id}` : null,
  };
}

/** A message page's cursor: the oldest message's place in the conversation (seq). */
export const messageCursorPattern = /^[1-9][0-9]{0,17}$/;
/** The most one page of messages holds, counting the parts' JSON: one message at least. */
export const messagePageBytes = 256 * 1024;

/**
 * The latest messages before the cursor, oldest first: at most `limit`, and no
 * more than messagePageBytes of parts unless a single message is larger. Sizes
 * are read first, so a page never loads what it will not send.
 */
export async function loadMessagePage(
  db: pg.Pool,
  conversationId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ messages: StoredMessage[]; nextCursor: string | null }> {
  const { rows: sizes } = await db.query<{ seq: string; bytes: number }>(
    `SELECT seq::text, octet_length(parts::text) AS bytes FROM chat_messages
      WHERE conversation_id = $1 AND seq < $2::bigint ORDER BY seq DESC LIMIT $3`,
    [conversationId, page.cursor ?? '9223372036854775807', page.limit + 1],
  );
  const chosen: string[] = [];
  let total = 0;
  for (const { seq, bytes } of sizes.slice(0, page.limit)) {
    if (chosen.length > 0 && total + bytes > messagePageBytes) break;
    chosen.push(seq);
    total += bytes;
  }
  const { rows: messages } = await db.query<StoredMessage>(
    `SELECT id, role, parts, created_at AS "createdAt" FROM chat_messages
      WHERE conversation_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq`,
    [conversationId, chosen],
  );
  return { messages, nextCursor: sizes.length > chosen.length ? (chosen.at(-1) ?? null) : null };
}

/** Saves the assistant's reply to a user's message (its conversation's updated_at was set when the turn began). */
export async function saveReply(
  db: pg.Pool,
  conversationId: string,
  message: { id: string; parts: unknown[]; replyTo: string },
): Promise<void> {
  await db.query(
    `INSERT INTO chat_messages (conversation_id, id, role, parts, reply_to) VALUES ($1, $2, 'assistant', $3, $4)
     ON CONFLICT (conversation_id, id) DO UPDATE SET parts = EXCLUDED.parts`,
    [conversationId, message.id, JSON.stringify(message.parts), message.replyTo],
  );
}
