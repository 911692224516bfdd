/** What the assistant's streamed reply said and did. */
export interface AssistantReply {
  /** Its words, all steps joined. */
  text: string;
  /** The tools it called, in order. */
  tools: string[];
  /** Error events and failed tools: the user saw something go wrong. */
  errors: string[];
  /** The stream ended properly (a finish event), rather than being cut off. */
  finished: boolean;
}

/** Reads an AI SDK UI message stream (server-sent events, one JSON chunk per `data:` line). */
export function readAssistantReply(stream: string): AssistantReply {
  const reply: AssistantReply = { text: '', tools: [], errors: [], finished: false };
  for (const line of stream.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(line.slice('data: '.length)) as Record<string, unknown>;
    } catch {
      reply.errors.push(`an event that is not JSON: ${line.slice(0, 100)}`);
      continue;
    }
    const field = (name: string) => (typeof chunk[name] === 'string' ? chunk[name] : '');
    switch (chunk.type) {
      case 'text-delta':
        reply.text += field('delta');
        break;
      case 'tool-input-available':
        reply.tools.push(field('toolName'));
        break;
      case 'tool-output-error':
      case 'error':
        reply.errors.push(field('errorText'));
        break;
      case 'finish':
        reply.finished = true;
        break;
    }
  }
  return reply;
}
