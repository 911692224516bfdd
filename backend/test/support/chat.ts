import type { Client } from './client.ts';

export interface ChatReply {
  status: number;
  headers: Headers;
  conversationId: string | null;
  /** The assistant's words, all steps joined. */
  text: string;
  toolCalls: { toolName: string; input: Record<string, unknown> }[];
  toolOutputs: unknown[];
  toolErrors: string[];
  /** Error events sent to the user. */
  errors: string[];
  chunks: Record<string, unknown>[];
  body: unknown;
}

/** Sends one message to the assistant and reads the whole streamed reply. */
export async function chat(
  client: Client,
  text: string,
  options: { id?: string; timeZone?: string; messageId?: string } = {},
): Promise<ChatReply> {
  const reply = await client.request<string>('POST', '/api/chat', {
    body: {
      ...(options.id ? { id: options.id } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      message: {
        ...(options.messageId ? { id: options.messageId } : {}),
        role: 'user',
        parts: [{ type: 'text', text }],
      },
    },
  });
  const result: ChatReply = {
    status: reply.status,
    headers: reply.headers,
    conversationId: reply.headers.get('conversation-id'),
    text: '',
    toolCalls: [],
    toolOutputs: [],
    toolErrors: [],
    errors: [],
    chunks: [],
    body: reply.body,
  };
  if (reply.status !== 200 || typeof reply.body !== 'string') return result;
  for (const line of reply.body.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as Record<string, unknown>;
    result.chunks.push(chunk);
    if (chunk.type === 'text-delta') result.text += chunk.delta as string;
    if (chunk.type === 'tool-input-available') {
      result.toolCalls.push({
        toolName: chunk.toolName as string,
        input: chunk.input as Record<string, unknown>,
      });
    }
    if (chunk.type === 'tool-output-available') result.toolOutputs.push(chunk.output);
    if (chunk.type === 'tool-output-error') result.toolErrors.push(chunk.errorText as string);
    if (chunk.type === 'error') result.errors.push(chunk.errorText as string);
  }
  return result;
}
