import { useChat } from '@ai-sdk/react';
import { useQueryClient } from '@tanstack/react-query';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { useEffect, useMemo, useRef, useState, type SyntheticEvent, type KeyboardEvent } from 'react';
import { errorBodyOf } from '../api/index.ts';
import { useServices } from '../services/index.ts';
import { taskKeys } from '../tasks/index.ts';
import { activityOf } from './activity.ts';

const suggestions = ['add buy milk tomorrow, high priority', 'what is due this week?', 'show my tasks'];

/** A message's words: its text parts, joined. */
const textOf = (message: UIMessage): string =>
  message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');

/** What to tell the user about a failed turn; `beforeReply` when the server refused the message itself. */
export function explainChatError(error: Error): { message: string; beforeReply: boolean } {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === undefined) return { message: error.message, beforeReply: false };
  const body = errorBodyOf((error as { responseBody?: string }).responseBody ?? '');
  if (status === 401)
    return { message: 'Your session has ended; sign in again to send this.', beforeReply: true };
  return {
    message: body?.message ?? `The assistant could not take the message (HTTP ${status}).`,
    beforeReply: true,
  };
}

export function Conversation({ id, initialMessages }: { id: string; initialMessages: UIMessage[] }) {
  const { api } = useServices();
  const client = useQueryClient();
  const [input, setInput] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const seenTools = useRef(new Set<string>());
  const log = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  const transport = useMemo(
    () =>
      new DefaultChatTransport({
        api: '/api/chat',
        fetch: api.fetch,
        credentials: 'same-origin',
        // The server keeps the history: send only the new message.
        prepareSendMessagesRequest: ({ id: conversationId, messages }) => {
          const last = messages.at(-1);
          const text = last ? textOf(last) : '';
          return {
            body: {
              id: conversationId,
              message: { id: last?.id, role: 'user', parts: [{ type: 'text', text }] },
              ...(timeZone ? { timeZone } : {}),
            },
          };
        },
      }),
    [api, timeZone],
  );

  const { messages, setMessages, sendMessage, status, error, clearError, stop } = useChat({
    id,
    messages: initialMessages,
    transport,
    throttle: 50,
    onError: (failure) => {
      const { message, beforeReply } = explainChatError(failure);
      setNotice(message);
      if (!beforeReply) return;
      // The server never took the message: take it back into the input, as typed.
      setMessages((current) => {
        const last = current.at(-1);
        if (last?.role !== 'user') return current;
        const text = textOf(last);
        setInput((typed) => typed || text);
        return current.slice(0, -1);
      });
    },
  });

  // Tools that changed tasks: the board refreshes as soon as each result arrives.
  useEffect(() => {
    let changed = false;
    for (const message of messages) {
      for (const part of message.parts) {
        const activity = activityOf(part);
        if (!activity || activity.state !== 'done' || seenTools.current.has(activity.toolCallId)) continue;
        seenTools.current.add(activity.toolCallId);
        if (activity.changesTasks && !initialMessages.includes(message)) changed = true;
      }
    }
    if (changed) void client.invalidateQueries({ queryKey: taskKeys.all });
  }, [messages, client, initialMessages]);

  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const busy = status === 'submitted' || status === 'streaming';
  const send = (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || busy) return;
    setNotice(null);
    if (error) clearError();
    setInput('');
    // The button pressed may go (Send becomes Stop, suggestions give way to the conversation): keep focus in the input.
    inputRef.current?.focus();
    void sendMessage({ text: trimmed });
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    send(input);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send(input);
    }
  };

  return (
    <>
      {messages.length === 0 ? (
        <div className="chat-empty">
          <p>Ask me to add, find, change or complete tasks. For example:</p>
          <ul>
            {suggestions.map((suggestion) => (
              <li key={suggestion}>
                <button type="button" className="suggestion" onClick={() => send(suggestion)}>
                  {suggestion}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        // Busy while a reply streams in: screen readers announce it once complete, not word by word.
        <div className="chat-log" role="log" aria-label="Conversation" aria-live="polite" aria-busy={busy}>
          <ol ref={log}>
            {messages.map((message) => (
              <ChatMessage key={message.id} message={message} />
            ))}
          </ol>
        </div>
      )}
      {busy && (
        <p className="chat-status" role="status">
          {status === 'submitted' ? 'Thinking…' : 'Replying…'}
        </p>
      )}
      {notice && (
        <p className="form-error" role="alert">
          {notice}
        </p>
      )}
      <form className="chat-form" onSubmit={submit}>
        <label htmlFor="chat-input" className="visually-hidden">
          Message the assistant
        </label>
        <textarea
          ref={inputRef}
          id="chat-input"
          rows={2}
          value={input}
          placeholder="e.g. add call mum on friday"
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {busy ? (
          <button type="button" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!input.trim()}>
            Send
          </button>
        )}
      </form>
    </>
  );
}

function ChatMessage({ message }: { message: UIMessage }) {
  const mine = message.role === 'user';
  return (
    <li className={`chat-message ${mine ? 'from-user' : 'from-assistant'}`}>
      <span className="visually-hidden">{mine ? 'You:' : 'Assistant:'}</span>
      {message.parts.map((part, index) => {
        if (part.type === 'text') {
          return part.text ? (
            <p key={index} className="chat-text">
              {part.text}
            </p>
          ) : null;
        }
        const activity = activityOf(part);
        if (!activity) return null;
        return (
          <p key={activity.toolCallId} className={`tool-activity ${activity.state}`}>
            <span aria-hidden="true">
              {activity.state === 'done' ? '✓' : activity.state === 'failed' ? '!' : '…'}
            </span>{' '}
            {activity.text}
          </p>
        );
      })}
    </li>
  );
}
