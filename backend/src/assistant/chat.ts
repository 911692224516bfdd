import { randomUUID } from 'node:crypto';
import {
  APICallError,
  RetryError,
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  stepCountIs,
  streamText,
  toUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import type pg from 'pg';
import type { Logger } from 'pino';
import { dayFormatIn, type Config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import type { TaskService } from '../tasks/index.ts';
import { saveReply, type StoredMessage } from './conversations.ts';
import { todayLine } from './offline/model.ts';
import type { AssistantModel } from './provider.ts';
import { assistantTools, toolsContextFor } from './tools.ts';

export interface ChatTurn {
  userId: string;
  conversationId: string;
  /** The conversation before this message (which is saved already). */
  history: StoredMessage[];
  message: { id: string; text: string };
  timeZone: string;
  abortSignal: AbortSignal;
}

/** Today in a time zone: YYYY-MM-DD and the weekday's name. */
export function todayIn(timeZone: string, now = new Date()): { date: string; weekday: string } {
  const format = dayFormatIn(timeZone);
  if (!format) throw new RangeError(`Invalid time zone: ${timeZone}`);
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday: get('weekday') };
}

export function instructions(timeZone: string, now = new Date()): string {
  const today = todayIn(timeZone, now);
  return [
    "You are the task assistant of a to-do app. You manage the user's tasks only through the tools.",
    todayLine(today.date, today.weekday, timeZone),
    'Resolve dates such as "tomorrow" or "next friday" to YYYY-MM-DD before calling a tool.',
    'To act on a task named by its title, find it with list_tasks first. If more than one task matches, ' +
      'ask which one (list them) instead of guessing. Never delete unless asked.',
    'After acting, say in one or two short sentences what changed. Plain text, no markdown tables.',
  ].join('\n');
}

/** What the user sees when the model provider fails: the cause, never a key or a stack. */
export function describeProviderError(error: unknown, label: string): string {
  // A tool refused (task not found, invalid input): its message is meant for people.
  if (error instanceof AppError && error.status < 500) return error.message;
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status === 401 || status === 403)
      return `The assistant's model provider (${label}) refused our credentials.`;
    if (status === 429)
      return `The assistant's model provider (${label}) is rate limiting us; try again in a minute.`;
    if (status !== undefined)
      return `The assistant's model provider (${label}) failed (HTTP ${status}); try again shortly.`;
    return `The assistant could not reach its model provider (${label}); try again shortly.`;
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `The assistant's model provider (${label}) took too long to answer; try again.`;
  }
  return 'The assistant failed to answer; try again.';
}

/** A one-line log record of a provider failure, without request bodies or headers. */
function logRecord(error: unknown): Record<string, unknown> {
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    return { name: cause.name, statusCode: cause.statusCode, url: cause.url, retryable: cause.isRetryable };
  }
  return { name: (cause as Error | undefined)?.name, message: (cause as Error | undefined)?.message };
}

/**
 * A reply saved earlier, streamed again as it was: its words, and its tool
 * calls with their outputs. Nothing runs: a message sent again after its
 * stream was cut must not add, complete or delete a task twice.
 */
export function replayReply(conversationId: string, reply: StoredMessage): Response {
  const stream = createUIMessageStream({
    execute: ({ writer }) => {
      writer.write({ type: 'start', messageId: reply.id });
      reply.parts.forEach((part, index) => {
        if (part.type === 'step-start') writer.write({ type: 'start-step' });
        if (part.type === 'text' && typeof part.text === 'string') {
          const id = `${reply.id}-${index}`;
          writer.write({ type: 'text-start', id });
          writer.write({ type: 'text-delta', id, delta: part.text });
          writer.write({ type: 'text-end', id });
        }
        const toolCallId = part.toolCallId;
        if (!part.type.startsWith('tool-') || typeof toolCallId !== 'string') return;
        writer.write({
          type: 'tool-input-available',
          toolCallId,
          toolName: part.type.slice(5),
          input: part.input,
        });
        if (part.state === 'output-available')
          writer.write({ type: 'tool-output-available', toolCallId, output: part.output });
        if (part.state === 'output-error')
          writer.write({ type: 'tool-output-error', toolCallId, errorText: String(part.errorText) });
      });
      writer.write({ type: 'finish' });
    },
  });
  return createUIMessageStreamResponse({
    stream,
    headers: { 'conversation-id': conversationId, 'idempotent-replayed': 'true' },
  });
}

export interface Assistant {
  /** Runs one turn and answers with the AI SDK's UI message stream; saves the reply. */
  turn(turn: ChatTurn): Promise<Response>;
}

export function createAssistant(deps: {
  config: Config;
  db: pg.Pool;
  tasks: TaskService;
  model: AssistantModel;
  logger: Logger;
}): Assistant {
  const { config, db, model, logger } = deps;
  const tools = assistantTools(deps.tasks);

  return {
    async turn({ userId, conversationId, history, message, timeZone, abortSignal }) {
      const userMessage: UIMessage = {
        id: message.id,
        role: 'user',
        parts: [{ type: 'text', text: message.text }],
      };
      const earlier = history.map((m): UIMessage => ({
        id: m.id,
        role: m.role,
        parts: m.parts as UIMessage['parts'],
      }));
      const messages = [...earlier, userMessage];
      const log = logger.child({ conversationId });

      const result = streamText({
        model: model.model,
        instructions: instructions(timeZone),
        messages: await convertToModelMessages(messages, { tools, ignoreIncompleteToolCalls: true }),
        tools,
        toolsContext: toolsContextFor(userId),
        stopWhen: stepCountIs(config.ASSISTANT_MAX_STEPS),
        maxRetries: config.ASSISTANT_MAX_RETRIES,
        timeout: config.ASSISTANT_TIMEOUT_MS,
        abortSignal,
        onError: ({ error }) => {
          log.warn({ provider: model.label, err: logRecord(error) }, 'assistant model failed');
        },
      });

      const stream = toUIMessageStream({
        stream: result.stream,
        tools,
        originalMessages: messages,
        generateMessageId: randomUUID,
        onError: (error) => describeProviderError(error, model.label),
        onEnd: async ({ responseMessage }) => {
          if (responseMessage.parts.length === 0) return;
          try {
            await saveReply(db, conversationId, {
              id: responseMessage.id,
              parts: responseMessage.parts,
              replyTo: message.id,
            });
          } catch (error) {
            log.error({ err: error }, 'could not save the assistant message');
          }
        },
      });
      // The time limit ends the model call as an abort; the user is told it as an error.
      const timeoutAsError = new TransformStream<UIMessageChunk, UIMessageChunk>({
        transform(chunk, controller) {
          if (chunk.type === 'abort' && !abortSignal.aborted && /timeout/i.test(chunk.reason ?? '')) {
            log.warn(
              { provider: model.label, timeoutMs: config.ASSISTANT_TIMEOUT_MS },
              'assistant model timed out',
            );
            controller.enqueue({
              type: 'error',
              errorText: `The assistant's model provider (${model.label}) took too long to answer; try again.`,
            });
            return;
          }
          controller.enqueue(chunk);
        },
      });
      return createUIMessageStreamResponse({
        stream: stream.pipeThrough(timeoutAsError),
        headers: { 'conversation-id': conversationId },
      });
    },
  };
}
