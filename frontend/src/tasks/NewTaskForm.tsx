import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { ApiError, newId } from '../api/index.ts';
import { useToasts } from '../ui/index.ts';
import { useCreateTask } from './mutations.ts';
import {
  checkDraft,
  draftErrorsOf,
  emptyDraft,
  TaskFields,
  type DraftErrors,
  type TaskDraft,
} from './TaskFields.tsx';

/**
 * Adds a task. The form clears at once for the next one; if the server refuses,
 * what was typed comes back (unless the user has started another) with the reason.
 * On a phone it folds behind a "New task" button, so the first screen shows tasks.
 */
export function NewTaskForm() {
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<TaskDraft>(emptyDraft);
  const [errors, setErrors] = useState<DraftErrors>({});
  const title = useRef<HTMLInputElement>(null);
  const create = useCreateTask();
  const toasts = useToasts();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const found = checkDraft(draft);
    setErrors(found);
    if (found.title) {
      title.current?.focus();
      return;
    }
    const submitted = draft;
    setDraft(emptyDraft);
    title.current?.focus();
    // Per call (mutateAsync), not per hook: each of several quick adds gets its own outcome.
    create
      .mutateAsync({
        key: newId(),
        input: {
          title: submitted.title.trim(),
          notes: submitted.notes,
          priority: submitted.priority,
          dueDate: submitted.dueDate || null,
        },
      })
      .catch((error: unknown) => {
        setDraft((current) => (current === emptyDraft ? submitted : current));
        const fields = error instanceof ApiError ? draftErrorsOf(error.fields) : {};
        if (Object.keys(fields).length > 0) setErrors(fields);
        else if (!(error instanceof ApiError && error.status === 401)) {
          toasts.show({
            tone: 'error',
            message: `Could not add “${submitted.title.trim()}”: ${(error as Error).message}`,
          });
        }
      });
  };

  // Unfolded: straight to the title (the effect runs once the form is shown).
  useEffect(() => {
    if (open) title.current?.focus();
  }, [open]);

  return (
    <div className={`new-task-area${open ? ' open' : ''}`}>
      <button
        type="button"
        className="new-task-toggle"
        aria-expanded={open}
        aria-controls={formId}
        onClick={() => setOpen(!open)}
      >
        New task <span aria-hidden="true">{open ? '▴' : '▾'}</span>
      </button>
      <form id={formId} className="new-task" aria-label="New task" onSubmit={submit} noValidate>
        <TaskFields draft={draft} errors={errors} onChange={setDraft} titleRef={title} />
        <button type="submit" className="primary">
          Add task
        </button>
      </form>
    </div>
  );
}
