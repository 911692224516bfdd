import { useEffect, useRef, useState, type SyntheticEvent, type KeyboardEvent } from 'react';
import { ApiError, type Task, type TaskChanges } from '../api/index.ts';
import { useToasts } from '../ui/index.ts';
import { isPending } from './cache.ts';
import { usePendingDeletes } from './deletes.tsx';
import { formatDue, priorityLabels } from './format.ts';
import { conflictOf, useSetDone, useUpdateTask } from './mutations.ts';
import { checkDraft, draftErrorsOf, TaskFields, type DraftErrors, type TaskDraft } from './TaskFields.tsx';

const draftOf = (task: Task): TaskDraft => ({
  title: task.title,
  notes: task.notes,
  priority: task.priority,
  dueDate: task.dueDate ?? '',
});

function changesBetween(task: Task, draft: TaskDraft): TaskChanges {
  const changes: TaskChanges = {};
  if (draft.title.trim() !== task.title) changes.title = draft.title.trim();
  if (draft.notes !== task.notes) changes.notes = draft.notes;
  if (draft.priority !== task.priority) changes.priority = draft.priority;
  if ((draft.dueDate || null) !== task.dueDate) changes.dueDate = draft.dueDate || null;
  return changes;
}

export function TaskItem({ task, today }: { task: Task; today: string }) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const setDone = useSetDone();
  const deletes = usePendingDeletes();
  const toasts = useToasts();
  // Shown in the same frame as the click; the cache catches up when the server answers.
  const [doneNow, setDoneNow] = useState<boolean | null>(null);
  // Not yet stored, or a status change in flight: editing or deleting now would send a version about to be stale.
  const unsaved = isPending(task);
  const busy = unsaved || doneNow !== null;
  const done = doneNow ?? task.status === 'done';
  const overdue = !done && task.dueDate !== null && task.dueDate < today;

  // Back from editing: focus returns to where it started.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  if (editing) return <TaskEditor task={task} close={() => setEditing(false)} />;

  return (
    <li className={`task${done ? ' done' : ''}${unsaved ? ' pending' : ''}`} aria-busy={busy || undefined}>
      <input
        type="checkbox"
        className="task-check"
        checked={done}
        disabled={unsaved}
        aria-label={`${done ? 'Reopen' : 'Complete'} “${task.title}”`}
        onChange={() => {
          setDoneNow(!done);
          setDone
            .mutateAsync({ task, done: !done })
            .catch((error: unknown) => {
              if (error instanceof ApiError && error.status === 401) return;
              toasts.show({
                tone: 'error',
                message: `Could not update “${task.title}”: ${(error as Error).message}`,
              });
            })
            .finally(() => setDoneNow(null));
        }}
      />
      <div className="task-body">
        <span className="task-title">{task.title}</span>
        <span className="task-meta">
          <span className={`badge priority-${task.priority}`}>
            <span className="visually-hidden">Priority: </span>
            {priorityLabels[task.priority]}
          </span>
          {task.dueDate && (
            <span className={`badge due${overdue ? ' overdue' : ''}`}>
              {overdue ? 'Overdue: ' : 'Due '}
              <time dateTime={task.dueDate}>{formatDue(task.dueDate, today)}</time>
            </span>
          )}
          {unsaved && <span className="badge">Saving…</span>}
        </span>
        {task.notes && <p className="task-notes">{task.notes}</p>}
      </div>
      <div className="task-actions">
        <button
          type="button"
          ref={editButton}
          disabled={busy}
          aria-label={`Edit “${task.title}”`}
          onClick={() => setEditing(true)}
        >
          Edit
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          aria-label={`Delete “${task.title}”`}
          onClick={(event) => {
            // The row goes away with the focus in it: hand focus to the next row, or the one before.
            const row = event.currentTarget.closest('li');
            const next = row?.nextElementSibling ?? row?.previousElementSibling;
            const target =
              next?.querySelector<HTMLElement>('input, button') ?? document.getElementById('board-title');
            target?.focus();
            deletes.remove(task);
          }}
        >
          Delete
        </button>
      </div>
    </li>
  );
}

/** Inline edit. A 409 (someone else changed the task) is explained, with both ways out. */
function TaskEditor({ task, close }: { task: Task; close: () => void }) {
  const [draft, setDraft] = useState<TaskDraft>(() => draftOf(task));
  const [base, setBase] = useState<Task>(task);
  // The form keeps the name it opened with, even when the task changes under it.
  const [label] = useState(`Edit “${task.title}”`);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [conflict, setConflict] = useState<Task | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const title = useRef<HTMLInputElement>(null);
  const update = useUpdateTask();

  useEffect(() => {
    title.current?.focus();
    title.current?.select();
  }, []);

  const save = (event?: SyntheticEvent, over?: Task) => {
    event?.preventDefault();
    const found = checkDraft(draft);
    setErrors(found);
    if (found.title) return;
    const against = over ?? base;
    const changes = changesBetween(against, draft);
    if (Object.keys(changes).length === 0) {
      close();
      return;
    }
    setFailure(null);
    update.mutateAsync({ task: against, changes }).then(close, (error: unknown) => {
      const current = conflictOf(error);
      if (current) {
        setConflict(current);
        return;
      }
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        setErrors(draftErrorsOf(error.fields));
        return;
      }
      if (!(error instanceof ApiError && error.status === 401)) setFailure((error as Error).message);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  return (
    <li className="task editing">
      <form aria-label={label} onSubmit={(event) => save(event)} onKeyDown={onKeyDown} noValidate>
        {conflict && (
          <div className="conflict" role="alert">
            <p>
              <strong>This task was changed elsewhere</strong> (perhaps by the assistant) after you started
              editing. It now reads: “{conflict.title}”, {priorityLabels[conflict.priority].toLowerCase()}{' '}
              priority
              {conflict.dueDate ? `, due ${conflict.dueDate}` : ', no due date'}
              {conflict.status === 'done' ? ', done' : ''}.
            </p>
            <div className="conflict-actions">
              <button
                type="button"
                onClick={() => {
                  setBase(conflict);
                  setConflict(null);
                  save(undefined, conflict);
                }}
              >
                Save my version over it
              </button>
              <button
                type="button"
                onClick={() => {
                  setBase(conflict);
                  setDraft(draftOf(conflict));
                  setConflict(null);
                  title.current?.focus();
                }}
              >
                Reload the task
              </button>
            </div>
          </div>
        )}
        {failure && (
          <p className="form-error" role="alert">
            Could not save: {failure}
          </p>
        )}
        <TaskFields draft={draft} errors={errors} onChange={setDraft} titleRef={title} compact />
        <div className="task-actions">
          <button type="submit" className="primary" disabled={update.isPending || conflict !== null}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </li>
  );
}
