// The generated types must say what the zod schemas say: `npm run typecheck` fails
// here if the document lost something on the way (a nullable, an enum value, a field).
import type { z } from 'zod';
import type {
  createTaskInput,
  Task as SchemaTask,
  TaskPage as SchemaTaskPage,
  TaskPriority as SchemaTaskPriority,
  TaskSort as SchemaTaskSort,
  TaskStatus as SchemaTaskStatus,
  updateTaskInput,
} from '../src/tasks/index.ts';
import type { CreateTask, Task, TaskPage, TaskPriority, TaskSort, TaskStatus, UpdateTask } from './index.ts';

/** Each assignable to the other, with the same keys (so an optional field cannot go missing either). */
type Agree<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;
type Holds<T extends true> = T;

export type ContractAgreesWithSchemas = [
  Holds<Agree<Task, SchemaTask>>,
  Holds<Agree<TaskPage, SchemaTaskPage>>,
  Holds<Agree<TaskStatus, SchemaTaskStatus>>,
  Holds<Agree<TaskPriority, SchemaTaskPriority>>,
  Holds<Agree<TaskSort, SchemaTaskSort>>,
  // Request bodies as a client may send them, before defaults are filled in.
  Holds<Agree<CreateTask, z.input<typeof createTaskInput>>>,
  Holds<Agree<UpdateTask, z.input<typeof updateTaskInput>>>,
];
