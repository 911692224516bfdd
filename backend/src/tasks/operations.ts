import { z } from 'zod';
import { createTaskInput, listTasksQuery, taskFields, taskId, type Task } from './schema.ts';
import type { TaskContext, TaskService } from './service.ts';

// The task operations offered to language models: the assistant's tools and the
// MCP endpoint's tools are both built from this one table, over the same
// service functions and zod schemas as the REST routes.

const byId = z.strictObject({ id: taskId.describe('The task id (UUID), as returned by list_tasks') });

export const taskOperationInputs = {
  // The same fields, without the OpenAPI id (which would make its JSON Schema a $ref).
  create_task: z.strictObject(createTaskInput.shape),
  list_tasks: listTasksQuery
    .omit({ cursor: true })
    .extend({ limit: z.int().min(1).max(100).default(20).describe('At most this many tasks') }),
  get_task: byId,
  update_task: z.strictObject({
    id: byId.shape.id,
    title: taskFields.title.optional(),
    notes: taskFields.notes.optional(),
    priority: taskFields.priority.optional(),
    dueDate: taskFields.dueDate.optional().describe('YYYY-MM-DD, or null to clear the due date'),
  }),
  complete_task: byId,
  reopen_task: byId,
  delete_task: byId,
} as const;

export type TaskOperationName = keyof typeof taskOperationInputs;
type Input<N extends TaskOperationName> = z.output<(typeof taskOperationInputs)[N]>;

/** A task as models see it: the fields that matter to a conversation. */
export interface TaskSummary {
  id: string;
  title: string;
  status: Task['status'];
  priority: Task['priority'];
  dueDate: string | null;
  notes?: string;
  version: number;
}

export function summarize(task: Task): TaskSummary {
  const { id, title, status, priority, dueDate, notes, version } = task;
  return { id, title, status, priority, dueDate, ...(notes ? { notes } : {}), version };
}

export type TaskOperationResult =
  { task: TaskSummary } | { tasks: TaskSummary[]; more: boolean } | { deleted: TaskSummary };

interface Operation<N extends TaskOperationName> {
  title: string;
  description: string;
  readOnly: boolean;
  run: (tasks: TaskService, ctx: TaskContext, input: Input<N>) => Promise<TaskOperationResult>;
}

export const taskOperations: { [N in TaskOperationName]: Operation<N> } = {
  create_task: {
    title: 'Create a task',
    description:
      'Create a task for the user. dueDate is YYYY-MM-DD (resolve words such as "tomorrow" against today\'s date).',
    readOnly: false,
    run: async (tasks, ctx, input) => ({ task: summarize((await tasks.create(ctx, input)).task) }),
  },
  list_tasks: {
    title: 'List tasks',
    description:
      "List the user's tasks, newest first unless sorted otherwise. Filters: status, priority, dueBefore/dueAfter " +
      '(strict, YYYY-MM-DD), q (words in the title or notes). Overdue = open and due before today.',
    readOnly: true,
    run: async (tasks, ctx, input) => {
      const page = await tasks.list(ctx, input);
      return { tasks: page.items.map(summarize), more: page.nextCursor !== null };
    },
  },
  get_task: {
    title: 'Get a task',
    description: 'One task by id.',
    readOnly: true,
    run: async (tasks, ctx, { id }) => ({ task: summarize(await tasks.get(ctx, id)) }),
  },
  update_task: {
    title: 'Change a task',
    description: 'Change the title, notes, priority or due date of a task, by id.',
    readOnly: false,
    run: async (tasks, ctx, { id, ...changes }) => {
      // The model acts on what it last read; the service still refuses a
      // concurrent change it would silently overwrite (same version check as REST).
      const current = await tasks.get(ctx, id);
      return { task: summarize(await tasks.update(ctx, id, changes, current.version)) };
    },
  },
  complete_task: {
    title: 'Complete a task',
    description: 'Mark a task done, by id.',
    readOnly: false,
    run: async (tasks, ctx, { id }) => ({ task: summarize(await tasks.setStatus(ctx, id, 'done')) }),
  },
  reopen_task: {
    title: 'Reopen a task',
    description: 'Mark a done task open again, by id.',
    readOnly: false,
    run: async (tasks, ctx, { id }) => ({ task: summarize(await tasks.setStatus(ctx, id, 'open')) }),
  },
  delete_task: {
    title: 'Delete a task',
    description: 'Delete a task, by id. Only when the user asked for it.',
    readOnly: false,
    run: async (tasks, ctx, { id }) => {
      const current = await tasks.get(ctx, id);
      await tasks.remove(ctx, id, current.version);
      return { deleted: summarize(current) };
    },
  },
};

export const taskOperationNames = Object.keys(taskOperations) as TaskOperationName[];

/**
 * Runs an operation for a user on input its schema already validated (the AI
 * SDK and the MCP server both parse tool input before they call).
 */
export function runTaskOperation(
  name: TaskOperationName,
  tasks: TaskService,
  ctx: TaskContext,
  input: unknown,
): Promise<TaskOperationResult> {
  const run = taskOperations[name].run as (
    t: TaskService,
    c: TaskContext,
    i: unknown,
  ) => Promise<TaskOperationResult>;
  return run(tasks, ctx, input);
}
