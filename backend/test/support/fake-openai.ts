import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat completion request as the fake provider received it. */
export interface ProviderRequest {
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content?: unknown; tool_calls?: unknown }[];
    tools?: { function: { name: string } }[];
  };
}

/** What to answer: a tool call, text, or an HTTP error. */
export type ProviderAnswer =
  | { toolCall: { name: string; arguments: Record<string, unknown> } }
  | { text: string }
  | { status: number }
  /** Never answers (until the server closes). */
  | { hang: true };

/**
 * A local server speaking the OpenAI chat completions protocol, streamed as the
 * vendor streams it (SSE chunks: role, tool-call argument fragments, finish
 * reason, usage, [DONE]). `answer` decides each reply from the request.
 */
export async function fakeOpenAi(answer: (request: ProviderRequest, index: number) => ProviderAnswer) {
  const requests: ProviderRequest[] = [];
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProviderRequest['body'];
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const request: ProviderRequest = {
        authorization: req.headers.authorization,
        body: await readBody(req),
      };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      if ('hang' in reply) return;
      if ('status' in reply) {
        res
          .writeHead(reply.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'upstream trouble', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion.chunk',
        created: 1,
        model: request.body.model,
      };
      const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      const choice = (delta: unknown, finish: string | null = null) =>
        send({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
      choice({ role: 'assistant', content: '' });
      if ('toolCall' in reply) {
        const args = JSON.stringify(reply.toolCall.arguments);
        const half = Math.floor(args.length / 2);
        choice({
          tool_calls: [
            {
              index: 0,
              id: `call_${requests.length}`,
              type: 'function',
              function: { name: reply.toolCall.name, arguments: '' },
            },
          ],
        });
        choice({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] });
        choice({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] });
        choice({}, 'tool_calls');
      } else {
        for (const word of reply.text.split(/(?<= )/)) choice({ content: word });
        choice({}, 'stop');
      }
      send({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
      res.end('data: [DONE]\n\n');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
