// The API's shapes, from its own OpenAPI document (generated into backend/contract by `npm run contract`).
import type { CreateTask, ErrorBody as ContractErrorBody, Task } from '@todo/backend/contract';

export type { Task, TaskPage, TaskPriority, TaskQuery, TaskSort, TaskStatus } from '@todo/backend/contract';

/** What the new-task form sends: every field, the form fills in what the user left alone. */
export type NewTask = Required<CreateTask>;

export type TaskChanges = Partial<NewTask>;

/**
 * The API's error body: a stable code, a message for people, the bad fields.
 * A VERSION_CONFLICT also carries the task as it is now, which the document does not describe.
 */
export type ErrorBody = ContractErrorBody & { current?: Task };
