import { randomUUID } from 'node:crypto';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { userOf } from '../auth/index.ts';
import { isTimeZone, type Config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import { noNul } from '../tasks/index.ts';
import type { Assistant } from './chat.ts';
import { beginTurn, findConversation, listConversations, loadMessages } from './conversations.ts';

const conversationId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be 1-100 letters, digits, "-" or "_"' });
const messageId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be 1-100 letters, digits, "-" or "_"' });

const conversation = z
  .object({ id: z.string(), title: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Conversation' });
const storedMessage = z
  .object({
    id: z.string(),
    role: z.enum(['user', 'assistant']),
    parts: z.array(z.looseObject({ type: z.string() })),
    createdAt: z.string(),
  })
  .meta({ id: 'ChatMessage' });

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
  const text = z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(maxChars, { error: `must be at most ${maxChars} characters` })
    .regex(noNul, { error: 'must not contain NUL characters (U+0000)' });
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
        .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' })
        .optional()
        .describe("The user's time zone, for words such as “tomorrow”"),
    })
    .meta({ id: 'ChatRequest' });

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
            'history: send only the new message. The conversation id comes back in the conversation-id header.',
          body: chatBody,
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
        return reply.send(response);
      },
    );

    routes.get(
      '/api/conversations',
      {
        schema: {
          tags,
          summary: "The user's conversations with the assistant, latest first",
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
          response: { 200: z.object({ items: z.array(conversation) }) },
        },
      },
      async (request) => ({ items: await listConversations(db, userOf(request).id, request.query.limit) }),
    );

    routes.get(
      '/api/conversations/:id',
      {
        schema: {
          tags,
          summary: 'One conversation with its messages',
          params: z.strictObject({ id: conversationId }),
          response: { 200: conversation.extend({ messages: z.array(storedMessage) }) },
        },
      },
      async (request) => {
        const found = await findConversation(db, userOf(request).id, request.params.id);
        if (!found || found === 'other') throw new AppError('CONVERSATION_NOT_FOUND');
        return { ...found, messages: await loadMessages(db, found.id, 1000) };
      },
    );
  });
}
