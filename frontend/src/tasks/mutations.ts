import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, type NewTask, type Task, type TaskChanges } from '../api/index.ts';
import { useServices } from '../services/index.ts';
import { dropTask, insertTask, putTask, taskKeys } from './cache.ts';

// Every change shows at once (optimistic) and is undone if the server refuses it.
// Lists are refetched once the last of several overlapping changes settles, so
// a refetch cannot briefly undo a change still in flight.
const mutationKey = ['tasks', 'change'];

async function refetchWhenQuiet(client: QueryClient): Promise<void> {
  if (client.isMutating({ mutationKey }) <= 1) await client.invalidateQueries({ queryKey: taskKeys.all });
}

/** The server's version of a task after a 409, if the answer carried it. */
export function conflictOf(error: unknown): Task | undefined {
  return error instanceof ApiError && error.code === 'VERSION_CONFLICT' ? error.body?.current : undefined;
}

/**
 * A create that may not have arrived, or did where no answer came back: no
 * connection (0), the proxy lost the replica mid-request (502, 504), or the
 * database was away (503). Its Idempotency-Key makes sending it again safe.
 */
const retryable = (error: unknown) => error instanceof ApiError && [0, 502, 503, 504].includes(error.status);

export interface CreateTaskVariables {
  input: NewTask;
  /** Sent as Idempotency-Key: a retry after a lost answer cannot create the task twice. */
  key: string;
}

export function useCreateTask() {
  const { tasks } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationKey,
    mutationFn: ({ input, key }: CreateTaskVariables) => tasks.create(input, key),
    retry: (failures, error) => failures < 2 && retryable(error),
    retryDelay: (failures) => 400 * 2 ** failures,
    onMutate: async ({ input, key }) => {
      await client.cancelQueries({ queryKey: taskKeys.all });
      const now = new Date().toISOString();
      insertTask(client, {
        id: `pending-${key}`,
        ...input,
        status: 'open',
        completedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 0,
      });
    },
    onSuccess: (task, { key }) => {
      putTask(client, task, `pending-${key}`);
    },
    onError: (_error, { key }) => {
      dropTask(client, `pending-${key}`);
    },
    onSettled: () => refetchWhenQuiet(client),
  });
}

export interface UpdateTaskVariables {
  /** The task as the user saw it. */
  task: Task;
  changes: TaskChanges;
  /** The version to send; default the one the user saw. */
  version?: number;
}

export function useUpdateTask() {
  const { tasks } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationKey,
    mutationFn: ({ task, changes, version }: UpdateTaskVariables) =>
      tasks.update(task.id, changes, version ?? task.version),
    onMutate: async ({ task, changes }) => {
      await client.cancelQueries({ queryKey: taskKeys.all });
      putTask(client, { ...task, ...changes });
    },
    onSuccess: (updated) => {
      putTask(client, updated);
    },
    // On a conflict the lists show the server's version; otherwise the one from before.
    onError: (error, { task }) => {
      putTask(client, conflictOf(error) ?? task);
    },
    onSettled: () => refetchWhenQuiet(client),
  });
}

export function useSetDone() {
  const { tasks } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationKey,
    mutationFn: ({ task, done }: { task: Task; done: boolean }) => tasks.setDone(task.id, done),
    onMutate: async ({ task, done }) => {
      await client.cancelQueries({ queryKey: taskKeys.all });
      putTask(client, {
        ...task,
        status: done ? 'done' : 'open',
        completedAt: done ? new Date().toISOString() : null,
      });
    },
    onSuccess: (updated) => {
      putTask(client, updated);
    },
    onError: (_error, { task }) => {
      putTask(client, task);
    },
    onSettled: () => refetchWhenQuiet(client),
  });
}
