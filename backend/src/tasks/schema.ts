import { z } from 'zod';

// One schema per operation. REST routes, the assistant's tools and MCP all
// parse with these before calling the service.

export const taskStatus = z.enum(['open', 'done']);
export const taskPriority = z.enum(['low', 'medium', 'high']);
export const taskSort = z.enum([
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'dueDate',
  '-dueDate',
  'priority',
  '-priority',
  'title',
  '-title',
]);

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
/**
 * Postgres text cannot hold U+0000: such input is the caller's mistake (400), not
 * a 500. A pattern rather than a refinement, so the OpenAPI document says it too.
 */
// eslint-disable-next-line no-control-regex -- matching the control character is the point
export const noNul = /^[^\u0000]*$/;
const noNulError = { error: 'must not contain NUL characters (U+0000)' };
const title = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .regex(noNul, noNulError);
const notes = z
  .string({ error: 'must be a string' })
  .max(10_000, { error: 'must be at most 10000 characters' })
  .regex(noNul, noNulError);
const version = z.int({ error: 'must be an integer' }).positive({ error: 'must be positive' });

export const taskId = z.uuid({ error: 'must be a task id (UUID)' });

export const task = z
  .object({
    id: z.uuid(),
    title: z.string(),
    notes: z.string(),
    status: taskStatus,
    priority: taskPriority,
    dueDate: isoDate.nullable(),
    completedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int(),
  })
  .meta({ id: 'Task' });

/** The fields a client may set, for schemas built elsewhere (the assistant's and MCP's tools). */
export const taskFields = {
  title,
  notes,
  priority: taskPriority,
  dueDate: isoDate.nullable(),
  status: taskStatus,
  version,
};

export const createTaskInput = z
  .strictObject({
    title,
    notes: notes.default(''),
    priority: taskPriority.default('medium'),
    dueDate: isoDate.nullable().default(null),
  })
  .meta({ id: 'CreateTask' });

export const updateTaskInput = z
  .strictObject({
    title: title.optional(),
    notes: notes.optional(),
    priority: taskPriority.optional(),
    dueDate: isoDate.nullable().optional(),
    status: taskStatus.optional(),
    version: version.optional(),
  })
  .refine((input) => Object.keys(input).some((key) => key !== 'version'), {
    error: 'must change at least one of title, notes, priority, dueDate, status',
  })
  .meta({ id: 'UpdateTask' });

export const listTasksQuery = z.strictObject({
  status: taskStatus.optional(),
  priority: taskPriority.optional(),
  dueBefore: isoDate.optional().describe('Only tasks due strictly before this date'),
  dueAfter: isoDate.optional().describe('Only tasks due strictly after this date'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(noNul, noNulError)
    .optional()
    .describe('Words to find in the title or notes'),
  sort: taskSort.default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});
// No .meta({ id }) here: query parameters must stay inline for OpenAPI.

export const taskPage = z
  .object({ items: z.array(task), nextCursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });

export type Task = z.output<typeof task>;
export type TaskStatus = z.output<typeof taskStatus>;
export type TaskPriority = z.output<typeof taskPriority>;
export type TaskSort = z.output<typeof taskSort>;
export type CreateTaskInput = z.output<typeof createTaskInput>;
export type UpdateTaskInput = z.output<typeof updateTaskInput>;
export type ListTasksQuery = z.output<typeof listTasksQuery>;
export type TaskPage = z.output<typeof taskPage>;
