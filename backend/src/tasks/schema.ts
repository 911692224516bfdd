import { z } from 'zod';
import { cursorPattern } from './cursor.ts';

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

/**
 * Years 0001-9999: Postgres has no year 0, and ISO dates have four digits. Two
 * patterns (zod's calendar check and this), both in the OpenAPI document.
 */
const isoDate = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD' })
  .regex(/^(?:[1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-/, {
    error: 'must be a date from year 0001 to 9999',
  });
/**
 * Postgres text cannot hold U+0000: such input is the caller's mistake (400), not
 * a 500. A pattern rather than a refinement, so the OpenAPI document says it too.
 */
// eslint-disable-next-line no-control-regex -- matching the control character is the point
export const noNul = /^[^\u0000]*$/;
const noNulError = { error: 'must not contain NUL characters (U+0000)' };
/**
 * Text that is more than white space: some character String.prototype.trim keeps.
 * The white space is spelled out rather than written \S, which regex engines
 * (the fuzzer's among them) read differently.
 */
export const notBlank = /[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
/** Characters as JSON Schema's maxLength and Postgres' char_length count them: code points, not UTF-16 units. */
function characters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
/** A string of at most `max` characters (the document says maxLength; zod's max would count UTF-16 units). */
function text(max: number) {
  return z
    .string({ error: 'must be a string' })
    .refine((value) => characters(value) <= max, { error: `must be at most ${max} characters` });
}
/** Trimmed text of 1..max characters as sent (the limit counts the spaces that trimming removes). */
export function trimmedText(max: number) {
  return text(max)
    .regex(notBlank, { error: 'must not be empty' })
    .regex(noNul, noNulError)
    .trim()
    .meta({ maxLength: max });
}
const title = trimmedText(200);
const notes = text(10_000).regex(noNul, noNulError).meta({ maxLength: 10_000 });
/** A task's version is a Postgres integer. */
export const maxVersion = 2_147_483_647;
const version = z
  .int({ error: 'must be an integer' })
  .positive({ error: 'must be positive' })
  .max(maxVersion, { error: `must be at most ${maxVersion}` });

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
  .meta({
    id: 'CreateTask',
    examples: [{ title: 'buy milk', notes: 'the oat one', priority: 'high', dueDate: '2026-12-01' }],
  });

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
  // The refinement above, as JSON Schema says it (zod cannot turn a refinement into one).
  .meta({
    id: 'UpdateTask',
    // Not empty, and not the version alone ({ required: [...] } alternatives would say the same,
    // but lose the type generated from the document).
    not: { anyOf: [{ maxProperties: 0 }, { required: ['version'], maxProperties: 1 }] },
    examples: [{ title: 'buy oat milk', status: 'done', version: 1 }],
  });

export const listTasksQuery = z.strictObject({
  status: taskStatus.optional(),
  priority: taskPriority.optional(),
  dueBefore: isoDate.optional().describe('Only tasks due strictly before this date'),
  dueAfter: isoDate.optional().describe('Only tasks due strictly after this date'),
  q: trimmedText(200).optional().describe('Words to find in the title or notes'),
  sort: taskSort.default('-createdAt').describe('Ignored with a cursor: a cursor goes on in its own order'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(cursorPattern, { error: 'is not a cursor from this API' })
    .optional()
    .describe("A page's nextCursor: the next page of the same listing, in the same order"),
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
