import { randomUUID } from 'node:crypto';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { userOf } from '../auth/index.ts';
import { isTimeZone, type Config } from '../config/index.ts';
import { AppError, errorResponses } from '../errors/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import { trimmedText } from '../tasks/index.ts';
import { replayReply, type Assistant } from './chat.ts';
import {
  beginTurn,
  conversationCursorPattern,
  findConversation,
  listConversations,
  loadMessagePage,
  messageCursorPattern,
  messagePageBytes,
} from './conversations.ts';

const conversationId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be 1-100 letters, digits, "-" or "_"' });
/** The shape of an IANA time zone name (Europe/Paris, America/Argentina/Buenos_Aires, Etc/GMT+1, UTC). */
const timeZoneName = /^[A-Za-z][A-Za-z0-9_+-]{0,40}(?:\/[A-Za-z0-9_+-]{1,40}){0,3}$/;
const messageId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be 1-100 letters, digits, "-" or "_"' });

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);

const conversation = z
  .object({ id: z.string(), title: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Conversation' });
const conversationPage = z
  .object({ items: z.array(conversation), nextCursor: z.string().nullable() })
  .meta({ id: 'ConversationPage' });
const listQuery = z.strictObject({
  limit: limit(100, 20),
  cursor: z
    .string()
    .regex(conversationCursorPattern, { error: 'is not a cursor from this API' })
    .optional()
    .describe("A page's nextCursor: the conversations after it"),
});
const storedMessage = z
  .object({
    id: z.string(),
    role: z.enum(['user', 'assistant']),
    parts: z.array(z.looseObject({ type: z.string() })),
    createdAt: z.string(),
  })
  .meta({ id: 'ChatMessage' });
const messagesQuery = z.strictObject({
  limit: limit(100, 50),
  cursor: z
    .string()
    .regex(messageCursorPattern, { error: 'is not a cursor from this API' })
    .optional()
    .describe("A page's nextCursor: the messages said before that page"),
});

const sseEvent = z.looseObject({
  event: z.string().optional(),
  data: z.string().describe('A UIMessageChunk as JSON; [DONE] ends the stream'),
});

const tags = ['assistant'];

export interface AssistantRoutesOptions {
  assistant: Assistant;
  db: pg.Pool;
  config: Config;
  limiter: RateLimiter;
  requireUser: preHandlerAsyncHookHandler;
}

export function assistantRoutes(app: FastifyInstance, options: AssistantRoutesOptions): void {
  const { assistant, db, config, limiter, requireUser } = options;
  const maxChars = config.CHAT_MAX_MESSAGE_CHARS;
  const text = trimmedText(maxChars);
  // The AI SDK's UI message, as its chat hooks send it; only text from the user.
  const chatBody = z
    .strictObject({
      id: conversationId.optional().describe('The conversation; a new one when absent or not yet known'),
      message: z.strictObject({
        id: messageId.optional(),
        role: z.literal('user', { error: 'must be "user"' }),
        parts: z
          .array(z.strictObject({ type: z.literal('text', { error: 'must be "text"' }), text }))
          .length(1, { error: 'must hold exactly one text part' }),
        metadata: z.unknown().optional(),
      }),
      timeZone: z
        .string()
        .regex(timeZoneName, { error: 'must be an IANA time zone name such as Europe/Paris' })
        // A zone newer than this server's time zone data must not cost the user their message.
        .transform((name) => (isTimeZone(name) ? name : undefined))
        .optional()
        .describe(
          "The user's time zone, for words such as “tomorrow”. One this server does not know is ignored " +
            '(the assistant then uses its default, ASSISTANT_TIME_ZONE).',
        ),
    })
    .meta({
      id: 'ChatRequest',
      examples: [
        {
          message: { role: 'user', parts: [{ type: 'text', text: 'add buy milk tomorrow' }] },
          timeZone: 'Europe/Paris',
        },
      ],
    });

  app.register(async (scope) => {
    scope.addHook('preHandler', requireUser);
    const routes = scope.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/api/chat',
      {
        schema: {
          tags,
          summary: 'Send a message to the assistant',
          description:
            "Streams the reply as the AI SDK's UI message stream (server-sent events). The server keeps the " +
            'history: send only the new message. The conversation id comes back in the conversation-id header. ' +
            "An id that is another user's conversation answers 404. A message sent again with the same message id " +
            '(a retry after the stream was cut) is answered with the reply saved the first time, replayed ' +
            '(header idempotent-replayed: true), and nothing runs twice; 409 while that reply is not saved yet, ' +
            '422 when the id was used for other words.',
          body: chatBody,
          response: {
            200: {
              description: "The reply, as the AI SDK's UI message stream",
              // Each server-sent event, as clients read it: `data` is one UI message chunk as JSON.
              content: { 'text/event-stream': { schema: sseEvent } },
            },
            ...errorResponses(404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const userId = userOf(request).id;
        const window = await limiter.hit(`chat:${userId}`, config.RATE_LIMIT_CHAT_WINDOW_SECONDS * 1000);
        if (window.count > config.RATE_LIMIT_CHAT_MAX) {
          void reply.header('retry-after', String(Math.max(1, Math.ceil(window.ttlMs / 1000))));
          throw new AppError('RATE_LIMITED', {
            message: 'Too many messages to the assistant; wait a moment.',
          });
        }
        const { message } = request.body;
        const textPart = message.parts.map((part) => part.text).join('');
        const id = request.body.id ?? randomUUID();
        const userMessage = { id: message.id ?? randomUUID(), text: textPart };
        const begun = await beginTurn(db, {
          userId,
          conversationId: id,
          title: textPart.slice(0, 80),
          message: { id: userMessage.id, parts: [{ type: 'text', text: textPart }] },
          historyLimit: config.CHAT_HISTORY_MESSAGES,
        });
        if (!begun) throw new AppError('CONVERSATION_NOT_FOUND');
        // The same message again (a retry after a cut stream): answered once, its tools run once.
        if ('resent' in begun) {
          if (!begun.resent.sameText) throw new AppError('CHAT_MESSAGE_ID_REUSED');
          if (!begun.resent.reply) {
            void reply.header('retry-after', '2');
            throw new AppError('CHAT_TURN_IN_PROGRESS');
          }
          return reply.send(replayReply(id, begun.resent.reply) as never);
        }
        // A client stopped the stream: stop the model and the tools too.
        const abort = new AbortController();
        request.raw.once('close', () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        const response = await assistant.turn({
          userId,
          conversationId: id,
          history: begun.history,
          message: userMessage,
          timeZone: request.body.timeZone ?? config.ASSISTANT_TIME_ZONE,
          abortSignal: abort.signal,
        });
        // A web Response: Fastify streams its body as it is (the 200 schema above only documents it).
        return reply.send(response as never);
      },
    );

    routes.get(
      '/api/conversations',
      {
        schema: {
          tags,
          summary: "The user's conversations with the assistant, latest first",
          description: 'A page of at most `limit` conversations; nextCursor asks for the next page.',
          querystring: listQuery,
          response: { 200: conversationPage, ...errorResponses() },
        },
      },
      async (request) => listConversations(db, userOf(request).id, request.query),
    );

    routes.get(
      '/api/conversations/:id',
      {
        schema: {
          tags,
          summary: 'One conversation with its latest messages',
          description:
            `The latest messages, oldest first: at most \`limit\`, and no more than ${messagePageBytes} bytes ` +
            'of message parts (one message at least, whatever its size). nextCursor asks for the messages ' +
            'said before these.',
          params: z.strictObject({ id: conversationId }),
          querystring: messagesQuery,
          response: {
            200: conversation.extend({ messages: z.array(storedMessage), nextCursor: z.string().nullable() }),
            ...errorResponses(404),
          },
        },
      },
      async (request) => {
        const found = await findConversation(db, userOf(request).id, request.params.id);
        if (!found || found === 'other') throw new AppError('CONVERSATION_NOT_FOUND');
        return { ...found, ...(await loadMessagePage(db, found.id, request.query)) };
      },
    );
  });
}
