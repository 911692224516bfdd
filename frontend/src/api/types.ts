// The API's shapes, as its OpenAPI document describes them (GET /api/openapi.json).

export type TaskStatus = 'open' | 'done';
export type TaskPriority = 'low' | 'medium' | 'high';
export type TaskSort =
  | 'createdAt'
  | '-createdAt'
  | 'updatedAt'
  | '-updatedAt'
  | 'dueDate'
  | '-dueDate'
  | 'priority'
  | '-priority'
  | 'title'
  | '-title';

export interface Task {
  id: string;
  title: string;
  notes: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** YYYY-MM-DD */
  dueDate: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

export interface NewTask {
  title: string;
  notes: string;
  priority: TaskPriority;
  dueDate: string | null;
}

export type TaskChanges = Partial<NewTask>;

export interface TaskQuery {
  status?: TaskStatus;
  priority?: TaskPriority;
  dueBefore?: string;
  dueAfter?: string;
  q?: string;
  sort?: TaskSort;
  limit?: number;
  cursor?: string;
}

/** The API's error body: a stable code, a message for people, the bad fields. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  requestId?: string;
  current?: Task;
}
