-- Up Migration
-- The user message an assistant message answers. A message sent again with the
-- same id (a client retrying after its stream was cut) is answered from here,
-- instead of running the assistant, and its tools, a second time.
ALTER TABLE chat_messages ADD COLUMN reply_to text;
CREATE INDEX chat_messages_reply_idx ON chat_messages (conversation_id, reply_to) WHERE reply_to IS NOT NULL;

-- Down Migration
DROP INDEX chat_messages_reply_idx;
ALTER TABLE chat_messages DROP COLUMN reply_to;
