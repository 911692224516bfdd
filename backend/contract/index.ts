// The API's contract for the other workspaces (`@todo/backend/contract`): the shapes
// of its OpenAPI document, named. Types only, so importing it adds no code to a bundle.
import type { components, paths } from './openapi.ts';

export type { components, paths } from './openapi.ts';

type Schemas = components['schemas'];

/** A task as every endpoint answers it. */
export type Task = Schemas['Task'];
export type TaskPage = Schemas['TaskPage'];
export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];

/** The body POST /api/tasks accepts: a title, and the fields that have defaults if wanted. */
export type CreateTask = paths['/api/tasks']['post']['requestBody']['content']['application/json'];
/** The body PATCH /api/tasks/{id} accepts: the fields to change, and the version last read. */
export type UpdateTask = paths['/api/tasks/{id}']['patch']['requestBody']['content']['application/json'];
/** The query parameters GET /api/tasks accepts. */
export type TaskQuery = NonNullable<paths['/api/tasks']['get']['parameters']['query']>;
export type TaskSort = NonNullable<TaskQuery['sort']>;

/** Every error answer: a stable code, a message for people, the fields at fault. */
export type ErrorBody = Schemas['Error'];
