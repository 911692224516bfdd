import { useId } from 'react';
import type { TaskPriority } from '../api/index.ts';
import { Field } from '../ui/index.ts';
import { priorityLabels } from './format.ts';

export interface TaskDraft {
  title: string;
  notes: string;
  priority: TaskPriority;
  /** YYYY-MM-DD or '' */
  dueDate: string;
}

export type DraftErrors = Partial<Record<keyof TaskDraft, string>>;

export const emptyDraft: TaskDraft = { title: '', notes: '', priority: 'medium', dueDate: '' };

export function checkDraft(draft: TaskDraft): DraftErrors {
  const title = draft.title.trim();
  if (!title) return { title: 'Enter a title.' };
  if (title.length > 200) return { title: 'Use at most 200 characters.' };
  return {};
}

/** The API's field names for a task, as they appear in a 400's `fields`, mapped to the form's. */
export function draftErrorsOf(fields: Record<string, string>): DraftErrors {
  const errors: DraftErrors = {};
  for (const [name, message] of Object.entries(fields)) {
    const field = name.split('.')[0];
    if (field === 'title' || field === 'notes' || field === 'priority' || field === 'dueDate') {
      errors[field] = message.charAt(0).toUpperCase() + message.slice(1) + '.';
    }
  }
  return errors;
}

/** Title, notes, due date and priority, for creating and for editing a task. */
export function TaskFields({
  draft,
  errors,
  onChange,
  titleRef,
  compact = false,
}: {
  draft: TaskDraft;
  errors: DraftErrors;
  onChange: (draft: TaskDraft) => void;
  titleRef?: React.Ref<HTMLInputElement>;
  compact?: boolean;
}) {
  const id = useId();
  const set = <K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <div className={`task-fields${compact ? ' compact' : ''}`}>
      <Field
        ref={titleRef}
        className="title-field"
        label="Title"
        value={draft.title}
        error={errors.title}
        maxLength={200}
        required
        autoComplete="off"
        onChange={(event) => set('title', event.target.value)}
      />
      <div className="field notes-field">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea
          id={`${id}-notes`}
          value={draft.notes}
          rows={compact ? 2 : 1}
          maxLength={10_000}
          aria-invalid={errors.notes ? true : undefined}
          aria-describedby={errors.notes ? `${id}-notes-error` : undefined}
          onChange={(event) => set('notes', event.target.value)}
        />
        {errors.notes && (
          <p id={`${id}-notes-error`} className="field-error">
            {errors.notes}
          </p>
        )}
      </div>
      <Field
        className="due-field"
        label="Due"
        type="date"
        value={draft.dueDate}
        error={errors.dueDate}
        onChange={(event) => set('dueDate', event.target.value)}
      />
      <div className="field priority-field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={draft.priority}
          onChange={(event) => set('priority', event.target.value as TaskPriority)}
        >
          {(['high', 'medium', 'low'] as const).map((priority) => (
            <option key={priority} value={priority}>
              {priorityLabels[priority]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
