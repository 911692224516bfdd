import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, type Task } from '../api/index.ts';
import { useServices } from '../services/index.ts';
import { useToasts } from '../ui/index.ts';
import { dropTask, putTask, taskKeys } from './cache.ts';
import { conflictOf } from './mutations.ts';

/** How long a deleted task can be brought back before the delete reaches the server. */
export const undoWindowMs = 5000;

interface PendingDeletes {
  /** Ids hidden from the board while their undo window runs. */
  hidden: ReadonlySet<string>;
  remove(task: Task): void;
  /** Sends every pending delete now and waits for them (before signing out). */
  flush(): Promise<void>;
}

const DeletesContext = createContext<PendingDeletes | null>(null);

/**
 * Delete with undo: the task disappears at once; the DELETE is sent when the
 * undo window ends, on sign-out, or (keepalive) when the page is closed. The
 * delete carries the version the user saw, so a task changed elsewhere in the
 * meantime is not deleted blindly.
 */
export function PendingDeletesProvider({ children }: { children: ReactNode }) {
  const { tasks } = useServices();
  const client = useQueryClient();
  const toasts = useToasts();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const pending = useRef(new Map<string, { task: Task; timer: ReturnType<typeof setTimeout> }>());

  const unhide = useCallback((id: string) => {
    setHidden((set) => {
      const next = new Set(set);
      next.delete(id);
      return next;
    });
  }, []);

  const commit = useCallback(
    async (id: string, keepalive = false) => {
      const entry = pending.current.get(id);
      if (!entry) return;
      pending.current.delete(id);
      clearTimeout(entry.timer);
      toasts.dismiss(`delete-${id}`);
      try {
        await tasks.remove(id, entry.task.version, { keepalive });
        dropTask(client, id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          dropTask(client, id); // already gone (the assistant, another tab): nothing to bring back
          return;
        }
        const current = conflictOf(error);
        if (current) putTask(client, current);
        toasts.show({
          tone: 'error',
          message: current
            ? `“${entry.task.title}” was changed elsewhere, so it was not deleted. Check it and delete again.`
            : `Could not delete “${entry.task.title}”: ${(error as Error).message}`,
        });
      } finally {
        unhide(id);
        void client.invalidateQueries({ queryKey: taskKeys.all });
      }
    },
    [client, tasks, toasts, unhide],
  );

  const remove = useCallback(
    (task: Task) => {
      if (pending.current.has(task.id)) return;
      setHidden((set) => new Set(set).add(task.id));
      const timer = setTimeout(() => void commit(task.id), undoWindowMs);
      pending.current.set(task.id, { task, timer });
      toasts.show({
        id: `delete-${task.id}`,
        message: `Deleted “${task.title}”.`,
        durationMs: undoWindowMs,
        action: {
          label: 'Undo',
          run: () => {
            const entry = pending.current.get(task.id);
            if (!entry) return;
            clearTimeout(entry.timer);
            pending.current.delete(task.id);
            unhide(task.id);
            toasts.show({ message: `Restored “${task.title}”.` });
          },
        },
      });
    },
    [commit, toasts, unhide],
  );

  const flush = useCallback(async () => {
    await Promise.all([...pending.current.keys()].map((id) => commit(id)));
  }, [commit]);

  useEffect(() => {
    const leaving = () => {
      for (const id of [...pending.current.keys()]) void commit(id, true);
    };
    window.addEventListener('pagehide', leaving);
    return () => window.removeEventListener('pagehide', leaving);
  }, [commit]);

  const value = useMemo(() => ({ hidden, remove, flush }), [hidden, remove, flush]);
  return <DeletesContext value={value}>{children}</DeletesContext>;
}

export function usePendingDeletes(): PendingDeletes {
  const value = useContext(DeletesContext);
  if (!value) throw new Error('usePendingDeletes must be used inside <PendingDeletesProvider>');
  return value;
}
