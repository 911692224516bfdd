import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useServices } from '../services/index.ts';
import { markReady } from '../ui/index.ts';
import { taskKeys } from './cache.ts';
import { usePendingDeletes } from './deletes.tsx';
import { isFiltered, queryFromFilters, type Filters } from './filters.ts';
import { TaskItem } from './TaskItem.tsx';

export function TaskList({
  filters,
  today,
  onClear,
}: {
  filters: Filters;
  today: string;
  onClear: () => void;
}) {
  const { tasks } = useServices();
  const { hidden } = usePendingDeletes();
  const query = useInfiniteQuery({
    queryKey: taskKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      tasks.list(
        { ...queryFromFilters(filters, today), ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  useEffect(() => {
    if (!query.isPending) markReady('board-ready');
  }, [query.isPending]);

  if (query.isPending) {
    return (
      <p className="list-state" role="status" aria-busy="true">
        Loading tasks…
      </p>
    );
  }
  if (query.isLoadingError) {
    return (
      <div className="list-state error" role="alert">
        <p>Could not load your tasks: {query.error.message}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  const refreshFailed = query.isRefetchError ? query.error.message : null;
  const items = query.data.pages.flatMap((page) => page.items).filter((task) => !hidden.has(task.id));
  if (items.length === 0) {
    return isFiltered(filters) ? (
      <div className="list-state" role="status">
        <p>No tasks match these filters.</p>
        <button type="button" className="link-button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    ) : (
      <p className="list-state empty" role="status">
        No tasks yet. Add your first one above, or ask the assistant.
      </p>
    );
  }

  return (
    <>
      <ul className="task-list" aria-label="Tasks" aria-busy={query.isFetching || undefined}>
        {items.map((task) => (
          <TaskItem key={task.id} task={task} today={today} />
        ))}
      </ul>
      {query.hasNextPage && (
        <button
          type="button"
          className="load-more"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Show more tasks'}
        </button>
      )}
      {refreshFailed && (
        <p className="form-error" role="alert">
          Could not refresh the list: {refreshFailed}
        </p>
      )}
    </>
  );
}
