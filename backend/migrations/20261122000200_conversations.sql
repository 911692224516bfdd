-- Up Migration
-- The assistant's conversations. The id is chosen by the client (the chat UI
-- names a conversation before its first message), so it is text, unique overall.
CREATE TABLE conversations (
  id text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 100),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user_updated_idx ON conversations (user_id, updated_at DESC, id DESC);

-- Messages in the AI SDK's UI message shape (role + parts), in the order they were said.
CREATE TABLE chat_messages (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  id text NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  parts jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, id)
);
CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, seq);

-- Down Migration
DROP TABLE chat_messages;
DROP TABLE conversations;
