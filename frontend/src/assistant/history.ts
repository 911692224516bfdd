import type { UIMessage } from 'ai';
import type { ApiClient } from '../api/index.ts';

interface ConversationList {
  items: { id: string; title: string; updatedAt: string }[];
}
interface ConversationWithMessages {
  id: string;
  messages: { id: string; role: 'user' | 'assistant'; parts: UIMessage['parts'] }[];
}

/** The user's latest conversation with its messages, or null when there is none. */
export async function latestConversation(
  api: ApiClient,
): Promise<{ id: string; messages: UIMessage[] } | null> {
  const list = await api.request<ConversationList>('GET', '/api/conversations?limit=1');
  const latest = list.items[0];
  if (!latest) return null;
  const found = await api.request<ConversationWithMessages>(
    'GET',
    `/api/conversations/${encodeURIComponent(latest.id)}`,
  );
  return {
    id: found.id,
    messages: found.messages.map(({ id, role, parts }) => ({ id, role, parts })),
  };
}
