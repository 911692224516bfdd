export * from './schema.ts';
export { createTaskService, type TaskContext, type TaskService, type TaskChanges } from './service.ts';
export { taskRoutes } from './routes.ts';
export {
  runTaskOperation,
  summarize,
  taskOperationInputs,
  taskOperationNames,
  taskOperations,
  type TaskOperationName,
  type TaskOperationResult,
  type TaskSummary,
} from './operations.ts';
