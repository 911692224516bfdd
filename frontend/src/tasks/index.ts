export { taskKeys } from './cache.ts';
export { PendingDeletesProvider, usePendingDeletes, undoWindowMs } from './deletes.tsx';
export * from './filters.ts';
export { TaskBoard } from './TaskBoard.tsx';
