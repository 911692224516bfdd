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
import { useSession } from '../auth/index.ts';
import { useServices } from '../services/index.ts';
import { useToasts } from '../ui/index.ts';
import { dropTask, putTask, taskKeys } from './cache.ts';
import { conflictOf } from './mutations.ts';

/** How long a deleted task can be brought back (paused while the Undo notice is pointed at or focused). */
export const undoWindowMs = 5000;

interface PendingDeletes {
  /** Ids hidden from the board: in their undo window, being sent, or waiting for the session to return. */
  hidden: ReadonlySet<string>;
  remove: (task: Task) => void;
  /** Sends every delete still in its undo window now and waits for them (before signing out). */
  flush: () => Promise<void>;
}

const DeletesContext = createContext<PendingDeletes | null>(null);

/**
 * Delete with undo: the task disappears at once; the DELETE is sent when the
 * undo window ends, on sign-out, or (keepalive) when the page is closed. It
 * carries the version the user saw, so a task changed elsewhere in the
 * meantime is not deleted blindly. A delete refused because the session ended
 * waits, hidden, and is sent again once the user signs back in.
 */
export function PendingDeletesProvider({ children }: { children: ReactNode }) {
  const { tasks } = useServices();
  const client = useQueryClient();
  const toasts = useToasts();
  const { state } = useSession();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const inWindow = useRef(new Map<string, Task>());
  const awaitingSession = useRef(new Map<string, Task>());
  const sessionActive = state.status === 'signed-in' && !state.expired;

  const unhide = useCallback((id: string) => {
    setHidden((set) => {
      const next = new Set(set);
      next.delete(id);
      return next;
    });
  }, []);

  const send = useCallback(
    async (task: Task, keepalive = false) => {
      try {
        await tasks.remove(task.id, task.version, { keepalive });
        dropTask(client, task.id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          awaitingSession.current.set(task.id, task); // stays hidden; sent after sign-in
          return;
        }
        if (error instanceof ApiError && error.status === 404) {
          dropTask(client, task.id); // already gone (the assistant, another tab)
        } else {
          const current = conflictOf(error);
          if (current) putTask(client, current);
          toasts.show({
            tone: 'error',
            message: current
              ? `“${task.title}” was changed elsewhere, so it was not deleted. Check it and delete again.`
              : `Could not delete “${task.title}”: ${(error as Error).message}`,
          });
        }
      }
      unhide(task.id);
      void client.invalidateQueries({ queryKey: taskKeys.all });
    },
    [client, tasks, toasts, unhide],
  );

  const commit = useCallback(
    async (id: string, keepalive = false) => {
      const task = inWindow.current.get(id);
      if (!task) return;
      inWindow.current.delete(id);
      toasts.dismiss(`delete-${id}`);
      await send(task, keepalive);
    },
    [send, toasts],
  );

  const remove = useCallback(
    (task: Task) => {
      if (inWindow.current.has(task.id)) return;
      setHidden((set) => new Set(set).add(task.id));
      inWindow.current.set(task.id, task);
      toasts.show({
        id: `delete-${task.id}`,
        message: `Deleted “${task.title}”.`,
        durationMs: undoWindowMs,
        onExpire: () => void commit(task.id),
        action: {
          label: 'Undo',
          name: `Undo deleting “${task.title}”`,
          run: () => {
            if (!inWindow.current.delete(task.id)) return;
            unhide(task.id);
            toasts.show({ message: `Restored “${task.title}”.` });
          },
        },
      });
    },
    [commit, toasts, unhide],
  );

  const flush = useCallback(async () => {
    await Promise.all([...inWindow.current.keys()].map((id) => commit(id)));
  }, [commit]);

  // Signed in again after the session ended: send what it refused.
  useEffect(() => {
    if (!sessionActive) return;
    const waiting = [...awaitingSession.current.values()];
    awaitingSession.current.clear();
    for (const task of waiting) void send(task);
  }, [sessionActive, send]);

  useEffect(() => {
    const leaving = () => {
      for (const id of [...inWindow.current.keys()]) void commit(id, true);
    };
    window.addEventListener('pagehide', leaving);
    return () => window.removeEventListener('pagehide', leaving);
  }, [commit]);

  // Leaving the board with deletes that could not be sent (signed out while the
  // session had ended, or someone else signed in): say so rather than lose them quietly.
  useEffect(() => {
    const windowed = inWindow.current;
    const waiting = awaitingSession.current;
    return () => {
      const unsent = [...windowed.values(), ...waiting.values()];
      windowed.clear();
      waiting.clear();
      for (const task of unsent) toasts.dismiss(`delete-${task.id}`);
      if (unsent.length > 0) {
        toasts.show({
          tone: 'error',
          message: `${unsent.length === 1 ? `“${unsent[0]?.title ?? ''}” was` : `${unsent.length} tasks were`} not deleted: the session had ended before the delete reached the server.`,
        });
      }
    };
  }, [toasts]);

  const value = useMemo(() => ({ hidden, remove, flush }), [hidden, remove, flush]);
  return <DeletesContext value={value}>{children}</DeletesContext>;
}

export function usePendingDeletes(): PendingDeletes {
  const value = useContext(DeletesContext);
  if (!value) throw new Error('usePendingDeletes must be used inside <PendingDeletesProvider>');
  return value;
}
