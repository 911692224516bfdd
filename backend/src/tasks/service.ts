import { createHash } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../errors/index.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { createOnce, purgeExpiredKeys } from './idempotency.ts';
import * as repository from './repository.ts';
import type { CreateTaskInput, ListTasksQuery, Task, TaskPage, TaskStatus } from './schema.ts';

/** Who is acting. Every operation is scoped to this user. */
export interface TaskContext {
  userId: string;
}

export type TaskChanges = repository.TaskChanges;

export interface TaskService {
  /** With an idempotency key, a retry returns the first result (`replayed`) and creates nothing. */
  create(
    ctx: TaskContext,
    input: CreateTaskInput,
    options?: { idempotencyKey?: string },
  ): Promise<{ task: Task; replayed: boolean }>;
  get(ctx: TaskContext, id: string): Promise<Task>;
  list(ctx: TaskContext, query: ListTasksQuery): Promise<TaskPage>;
  /** With `expectedVersion`, a task changed since answers VERSION_CONFLICT and stays as it is. */
  update(ctx: TaskContext, id: string, changes: TaskChanges, expectedVersion?: number): Promise<Task>;
  /** Complete or reopen; a task already in that state is returned unchanged. */
  setStatus(ctx: TaskContext, id: string, status: TaskStatus, expectedVersion?: number): Promise<Task>;
  remove(ctx: TaskContext, id: string, expectedVersion?: number): Promise<void>;
  purgeExpiredIdempotencyKeys(): Promise<number>;
}

const notFound = () => new AppError('TASK_NOT_FOUND');

export function createTaskService({ db }: { db: pg.Pool }): TaskService {
  /** The task as it is now: 404 if it is not the user's, 409 if it changed since `expectedVersion`. */
  async function currentUnlessStale(
    ctx: TaskContext,
    id: string,
    expectedVersion: number | undefined,
  ): Promise<Task> {
    const current = await repository.findTask(db, ctx.userId, id);
    if (!current) throw notFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new AppError('VERSION_CONFLICT', { details: { current } });
    }
    return current;
  }

  /** Why a write matched nothing (404 or 409); if the task looks untouched, it changed in between: 409. */
  async function explainMiss(
    ctx: TaskContext,
    id: string,
    expectedVersion: number | undefined,
  ): Promise<AppError> {
    const current = await currentUnlessStale(ctx, id, expectedVersion);
    return new AppError('VERSION_CONFLICT', { details: { current } });
  }

  async function createIdempotently(ctx: TaskContext, input: CreateTaskInput, key: string) {
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('base64url');
    const outcome = await createOnce(db, ctx.userId, key, requestHash, input);
    if ('created' in outcome) return { task: outcome.created, replayed: false };
    if (outcome.taken.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        fields: { 'idempotency-key': 'was used for another request' },
      });
    }
    return { task: outcome.taken.response, replayed: true };
  }

  return {
    async create(ctx, input, options = {}) {
      if (options.idempotencyKey) return createIdempotently(ctx, input, options.idempotencyKey);
      return { task: await repository.insertTask(db, ctx.userId, input), replayed: false };
    },

    async get(ctx, id) {
      const task = await repository.findTask(db, ctx.userId, id);
      if (!task) throw notFound();
      return task;
    },

    async list(ctx, query) {
      // A cursor goes on with the listing it came from, in its order.
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const sort = after?.sort ?? query.sort;
      const { tasks, last } = await repository.selectTasks(db, ctx.userId, { ...query, sort }, after);
      return { items: tasks, nextCursor: last ? encodeCursor({ sort, ...last }) : null };
    },

    async update(ctx, id, changes, expectedVersion) {
      const task = await repository.updateTask(db, ctx.userId, id, changes, expectedVersion);
      if (!task) throw await explainMiss(ctx, id, expectedVersion);
      return task;
    },

    async setStatus(ctx, id, status, expectedVersion) {
      const task = await repository.updateTask(db, ctx.userId, id, { status }, expectedVersion, true);
      // Nothing matched: already in that state (unchanged, returned), or missing/stale.
      return task ?? currentUnlessStale(ctx, id, expectedVersion);
    },

    async remove(ctx, id, expectedVersion) {
      if (!(await repository.deleteTask(db, ctx.userId, id, expectedVersion))) {
        throw await explainMiss(ctx, id, expectedVersion);
      }
    },

    purgeExpiredIdempotencyKeys: () => purgeExpiredKeys(db),
  };
}
