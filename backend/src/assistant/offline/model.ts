// The offline assistant model: a deterministic rules engine behind the AI SDK's
// language-model interface, so the real tool loop (tool call → tool result →
// answer) runs with no network and no key. Each call reads the whole prompt and
// decides the next step from it alone: same prompt, same output.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type { TaskOperationName, TaskSummary } from '../../tasks/operations.ts';
import { describeDate } from './dates.ts';
import { understand, type Intent, type Reference } from './understand.ts';

/** The system prompt must carry this line; the rules resolve "tomorrow" against it. */
export const todayLine = (today: string, weekday: string, timeZone: string) =>
  `Today is ${today} (${weekday}) in the user's time zone (${timeZone}).`;

const clarificationOpening = 'More than one task matches';

type Step =
  | { type: 'tool'; toolName: TaskOperationName; input: Record<string, unknown> }
  | { type: 'text'; text: string };

interface ToolOutcome {
  toolName: string;
  input: unknown;
  /** The tool's JSON result, or undefined when it failed. */
  output?: unknown;
  error?: string;
}

type ActionKind = 'complete' | 'reopen' | 'delete' | 'update';
type ActionIntent = Extract<Intent, { kind: ActionKind }>;

const textOf = (content: ReadonlyArray<{ type: string; text?: string }>) =>
  content
    .filter((part) => part.type === 'text')
    .map((part) => part.text ?? '')
    .join('');

/** Tool calls and their results after message `from`, in order. */
function outcomesAfter(prompt: LanguageModelV4Prompt, from: number, to = prompt.length): ToolOutcome[] {
  const calls = new Map<string, ToolOutcome>();
  const outcomes: ToolOutcome[] = [];
  for (const message of prompt.slice(from + 1, to)) {
    if (message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type === 'tool-call') {
          const outcome: ToolOutcome = { toolName: part.toolName, input: part.input };
          calls.set(part.toolCallId, outcome);
          outcomes.push(outcome);
        }
      }
    } else if (message.role === 'tool') {
      for (const part of message.content) {
        if (part.type !== 'tool-result') continue;
        const outcome = calls.get(part.toolCallId);
        if (!outcome) continue;
        const { output } = part;
        if (output.type === 'json') outcome.output = output.value;
        else if (output.type === 'text') outcome.output = output.value;
        else if (output.type === 'error-text') outcome.error = output.value;
        else if (output.type === 'error-json') outcome.error = JSON.stringify(output.value);
        else outcome.error = 'the tool did not run';
      }
    }
  }
  return outcomes;
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean, before = items.length): number {
  for (let i = Math.min(before, items.length) - 1; i >= 0; i--) {
    const item = items[i];
    if (item !== undefined && test(item)) return i;
  }
  return -1;
}

const quote = (title: string) => `“${title}”`;
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** The text a user message says. */
const userText = (message: LanguageModelV4Prompt[number] | undefined) =>
  message?.role === 'user' ? textOf(message.content) : '';

function describeTask(task: TaskSummary, today: string): string {
  const details = [
    task.dueDate ? `due ${describeDate(task.dueDate, today)}` : '',
    task.priority === 'medium' ? '' : `${task.priority} priority`,
    task.status === 'done' ? 'done' : '',
  ].filter(Boolean);
  return details.length ? `${quote(task.title)} (${details.join(', ')})` : quote(task.title);
}

const help = [
  'I can manage your tasks. Try:',
  '• “add buy milk tomorrow, high priority”',
  '• “what is overdue?”, “what’s due today?”, “show done tasks”, “find milk”',
  '• “mark the milk one done”, “reopen buy milk”',
  '• “rename buy milk to buy oat milk”, “move buy milk to next friday”, “make buy milk low priority”',
  '• “delete buy milk”',
].join('\n');

/** The tasks a reference points at, best candidates first. */
function matching(tasks: TaskSummary[], words: string, kind: ActionKind): TaskSummary[] {
  const wanted = words.toLowerCase();
  const inTitle = tasks.filter((task) => task.title.toLowerCase().includes(wanted));
  let candidates = inTitle.length > 0 ? inTitle : tasks;
  const exact = candidates.filter((task) => task.title.toLowerCase() === wanted);
  if (exact.length === 1) return exact;
  // Completing means an open task, reopening a done one: prefer those when it settles the choice.
  const preferred = kind === 'complete' ? 'open' : kind === 'reopen' ? 'done' : undefined;
  if (preferred) {
    const inState = candidates.filter((task) => task.status === preferred);
    if (inState.length > 0) candidates = inState;
  }
  return candidates;
}

function actionStep(intent: ActionIntent, id: string): Step {
  switch (intent.kind) {
    case 'complete':
      return { type: 'tool', toolName: 'complete_task', input: { id } };
    case 'reopen':
      return { type: 'tool', toolName: 'reopen_task', input: { id } };
    case 'delete':
      return { type: 'tool', toolName: 'delete_task', input: { id } };
    case 'update':
      return { type: 'tool', toolName: 'update_task', input: { id, ...intent.changes } };
  }
}

function confirmation(
  intent: ActionIntent,
  task: TaskSummary,
  before: TaskSummary | undefined,
  today: string,
): string {
  switch (intent.kind) {
    case 'complete':
      return before?.status === 'done'
        ? `${quote(task.title)} was already done.`
        : `Marked ${quote(task.title)} as done.`;
    case 'reopen':
      return before?.status === 'open'
        ? `${quote(task.title)} is already open.`
        : `Reopened ${quote(task.title)}.`;
    case 'delete':
      return `Deleted ${quote(task.title)}.`;
    case 'update': {
      const { changes } = intent;
      const said: string[] = [];
      if (changes.title !== undefined && before)
        said.push(`renamed ${quote(before.title)} to ${quote(task.title)}`);
      else if (changes.title !== undefined) said.push(`renamed it to ${quote(task.title)}`);
      if (changes.priority) said.push(`set it to ${task.priority} priority`);
      if (changes.dueDate === null) said.push('removed its due date');
      else if (changes.dueDate) said.push(`moved it to ${describeDate(changes.dueDate, today)}`);
      if (changes.notes !== undefined) said.push('updated its notes');
      const sentence = said.join(', ');
      return changes.title === undefined
        ? `Updated ${quote(task.title)}: ${sentence}.`
        : `${capitalized(sentence)}.`;
    }
  }
}

const verbs: Record<ActionKind, string> = {
  complete: 'complete',
  reopen: 'reopen',
  delete: 'delete',
  update: 'change',
};

function failure(intent: ActionIntent | Extract<Intent, { kind: 'create' | 'list' }>, error: string): string {
  const what =
    intent.kind === 'create'
      ? 'add that task'
      : intent.kind === 'list'
        ? 'look up your tasks'
        : `${verbs[intent.kind]} that task`;
  return `Sorry, I couldn't ${what}: ${error.replace(/\.$/, '')}.`;
}

function describeReference(ref: Reference): string {
  return 'id' in ref ? `with id ${ref.id}` : `matching ${quote(ref.words)}`;
}

/** The next step of the conversation in `prompt`. */
export function decide(prompt: LanguageModelV4Prompt): Step {
  const system = prompt.find((message) => message.role === 'system')?.content ?? '';
  const today = /Today is (\d{4}-\d{2}-\d{2})/.exec(system)?.[1] ?? new Date().toISOString().slice(0, 10);
  const current = lastIndex(prompt, (message) => message.role === 'user');
  if (current < 0) return { type: 'text', text: help };
  const said = userText(prompt[current]);
  let intent = understand(said, today);
  const steps = outcomesAfter(prompt, current);

  // A reply to "which one do you mean?": the earlier request, with the choice made.
  let chosen: TaskSummary | undefined;
  const previous = lastIndex(prompt, (message) => message.role === 'user', current);
  const lastAnswer = prompt
    .slice(previous + 1, current)
    .filter((message) => message.role === 'assistant')
    .map((message) => textOf(message.content as ReadonlyArray<{ type: string; text?: string }>))
    .join('');
  if (
    previous >= 0 &&
    lastAnswer.includes(clarificationOpening) &&
    (intent.kind === 'select' || intent.kind === 'unknown')
  ) {
    const earlier = understand(userText(prompt[previous]), today);
    const search = outcomesAfter(prompt, previous, current).findLast((o) => o.toolName === 'list_tasks');
    const found = (search?.output as { tasks?: TaskSummary[] } | undefined)?.tasks;
    if (
      (earlier.kind === 'complete' ||
        earlier.kind === 'reopen' ||
        earlier.kind === 'delete' ||
        earlier.kind === 'update') &&
      'words' in earlier.ref &&
      found
    ) {
      if (intent.kind === 'select') {
        const options = matching(found, earlier.ref.words, earlier.kind);
        const index = intent.index === -1 ? options.length : intent.index;
        chosen = options[index - 1];
        if (!chosen)
          return { type: 'text', text: `Please answer with a number from 1 to ${options.length}.` };
        intent = earlier;
      } else {
        intent = { ...earlier, ref: { words: said.trim() } };
      }
    }
  }

  switch (intent.kind) {
    case 'help':
      return { type: 'text', text: intent.greeting ? `Hello! ${help}` : help };
    case 'unknown':
      return { type: 'text', text: `Sorry, I didn't understand that. ${help}` };
    case 'select':
      return { type: 'text', text: `I haven't offered a choice. ${help}` };
    case 'create': {
      const last = steps.at(-1);
      if (!last) {
        const { kind: _kind, ...input } = intent;
        return { type: 'tool', toolName: 'create_task', input };
      }
      if (last.error !== undefined) return { type: 'text', text: failure(intent, last.error) };
      const task = (last.output as { task: TaskSummary }).task;
      return { type: 'text', text: `Added ${describeTask(task, today)}.` };
    }
    case 'list': {
      const last = steps.at(-1);
      if (!last) return { type: 'tool', toolName: 'list_tasks', input: { ...intent.filter, limit: 20 } };
      if (last.error !== undefined) return { type: 'text', text: failure(intent, last.error) };
      const { tasks, more } = last.output as { tasks: TaskSummary[]; more: boolean };
      if (tasks.length === 0) return { type: 'text', text: `You have no ${intent.what}.` };
      const lines = tasks.map((task) => `• ${describeTask(task, today)}`);
      const heading = `${capitalized(intent.what)} (${tasks.length}${more ? '+' : ''}):`;
      return { type: 'text', text: [heading, ...lines, ...(more ? ['…and more.'] : [])].join('\n') };
    }
    default: {
      const first = steps[0];
      const { ref } = intent;
      if (!first) {
        if (chosen) return actionStep(intent, chosen.id);
        if ('id' in ref) return actionStep(intent, ref.id);
        return { type: 'tool', toolName: 'list_tasks', input: { q: ref.words, limit: 10 } };
      }
      const last = steps.at(-1) ?? first;
      if (last.toolName === 'list_tasks') {
        if (last.error !== undefined) return { type: 'text', text: failure(intent, last.error) };
        const found = matching(
          (last.output as { tasks: TaskSummary[] }).tasks,
          'words' in ref ? ref.words : '',
          intent.kind,
        );
        if (found.length === 0)
          return { type: 'text', text: `I couldn't find a task ${describeReference(ref)}.` };
        const [only] = found;
        if (found.length === 1 && only) return actionStep(intent, only.id);
        const options = found.map((task, i) => `${i + 1}. ${describeTask(task, today)}`);
        return {
          type: 'text',
          text: [
            `${clarificationOpening} ${describeReference(ref).replace(/^matching /, '')}. Which one do you mean?`,
            ...options,
            'Answer with the number or a longer part of the title.',
          ].join('\n'),
        };
      }
      if (last.error !== undefined) {
        const notFound = /not found/i.test(last.error);
        return {
          type: 'text',
          text: notFound ? `I couldn't find a task ${describeReference(ref)}.` : failure(intent, last.error),
        };
      }
      const output = last.output as { task?: TaskSummary; deleted?: TaskSummary };
      const task = output.task ?? output.deleted;
      if (!task) return { type: 'text', text: failure(intent, 'the tool gave no task back') };
      const search = steps.length > 1 ? steps[0] : undefined;
      const before =
        chosen ??
        (search?.output as { tasks?: TaskSummary[] } | undefined)?.tasks?.find(
          (candidate) => candidate.id === task.id,
        );
      return { type: 'text', text: confirmation(intent, task, before, today) };
    }
  }
}

const usage: LanguageModelV4Usage = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

function content(step: Step, callId: string): LanguageModelV4Content[] {
  return step.type === 'tool'
    ? [{ type: 'tool-call', toolCallId: callId, toolName: step.toolName, input: JSON.stringify(step.input) }]
    : [{ type: 'text', text: step.text }];
}

export class OfflineRulesModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'offline';
  readonly modelId = 'rules-v1';
  readonly supportedUrls = {};

  /** A deterministic id: unique within the conversation (its length grows with every step). */
  private callId(options: LanguageModelV4CallOptions): string {
    return `offline-${options.prompt.length}`;
  }

  doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const step = decide(options.prompt);
    return Promise.resolve({
      content: content(step, this.callId(options)),
      finishReason: { unified: step.type === 'tool' ? 'tool-calls' : 'stop', raw: undefined },
      usage,
      warnings: [],
    });
  }

  doStream(options: LanguageModelV4CallOptions) {
    const step = decide(options.prompt);
    const id = this.callId(options);
    const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
    if (step.type === 'tool') {
      const input = JSON.stringify(step.input);
      parts.push(
        { type: 'tool-input-start', id, toolName: step.toolName },
        { type: 'tool-input-delta', id, delta: input },
        { type: 'tool-input-end', id },
        { type: 'tool-call', toolCallId: id, toolName: step.toolName, input },
      );
    } else {
      parts.push({ type: 'text-start', id });
      // Line by line, as a model streams.
      const lines = step.text.split(/(?<=\n)/);
      for (const line of lines) parts.push({ type: 'text-delta', id, delta: line });
      parts.push({ type: 'text-end', id });
    }
    parts.push({
      type: 'finish',
      usage,
      finishReason: { unified: step.type === 'tool' ? 'tool-calls' : 'stop', raw: undefined },
    });
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    return Promise.resolve({ stream });
  }
}
