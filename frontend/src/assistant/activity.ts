// What the assistant did, in words, from the tool parts of its messages.

interface TaskRef {
  title?: string;
}

export interface ToolActivity {
  toolCallId: string;
  toolName: string;
  state: 'running' | 'done' | 'failed';
  /** "Created task “buy milk”" */
  text: string;
  /** Whether it changed tasks (the board must refresh). */
  changesTasks: boolean;
}

const changing = new Set(['create_task', 'update_task', 'complete_task', 'reopen_task', 'delete_task']);

const verbs: Record<string, { doing: string; done: (title: string) => string; failed: string }> = {
  create_task: { doing: 'Creating a task', done: (t) => `Created task “${t}”`, failed: 'create a task' },
  update_task: { doing: 'Updating a task', done: (t) => `Updated “${t}”`, failed: 'update the task' },
  complete_task: { doing: 'Completing a task', done: (t) => `Completed “${t}”`, failed: 'complete the task' },
  reopen_task: { doing: 'Reopening a task', done: (t) => `Reopened “${t}”`, failed: 'reopen the task' },
  delete_task: { doing: 'Deleting a task', done: (t) => `Deleted “${t}”`, failed: 'delete the task' },
  get_task: { doing: 'Looking up a task', done: (t) => `Looked at “${t}”`, failed: 'find the task' },
};

function titleOf(output: unknown): string {
  const value = output as { task?: TaskRef; deleted?: TaskRef } | undefined;
  return value?.task?.title ?? value?.deleted?.title ?? 'a task';
}

function describe(
  toolName: string,
  state: ToolActivity['state'],
  output: unknown,
  errorText?: string,
): string {
  if (toolName === 'list_tasks') {
    if (state === 'running') return 'Looking through your tasks';
    if (state === 'failed') return `Could not list your tasks: ${errorText ?? 'unknown error'}`;
    const count = (output as { tasks?: unknown[] } | undefined)?.tasks?.length ?? 0;
    return `Looked through your tasks (${count} found)`;
  }
  const verb = verbs[toolName];
  if (!verb) return state === 'failed' ? `Could not run ${toolName}: ${errorText ?? ''}` : `Used ${toolName}`;
  if (state === 'running') return `${verb.doing}…`;
  if (state === 'failed') return `Could not ${verb.failed}: ${errorText ?? 'unknown error'}`;
  return verb.done(titleOf(output));
}

interface ToolLikePart {
  type: string;
  toolName?: string;
  toolCallId?: string;
  state?: string;
  output?: unknown;
  errorText?: string;
}

/** The activity a message part stands for, or null when it is not a tool call. */
export function activityOf(part: ToolLikePart): ToolActivity | null {
  const toolName =
    part.type === 'dynamic-tool' ? part.toolName : part.type.startsWith('tool-') ? part.type.slice(5) : null;
  if (!toolName || !part.toolCallId) return null;
  const state: ToolActivity['state'] =
    part.state === 'output-available'
      ? 'done'
      : part.state === 'output-error' || part.state === 'output-denied'
        ? 'failed'
        : 'running';
  return {
    toolCallId: part.toolCallId,
    toolName,
    state,
    text: describe(toolName, state, part.output, part.errorText),
    changesTasks: changing.has(toolName),
  };
}
