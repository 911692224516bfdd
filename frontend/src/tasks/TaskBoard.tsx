import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { filtersFromSearch, localToday, searchFromFilters, type Filters } from './filters.ts';
import { NewTaskForm } from './NewTaskForm.tsx';
import { TaskFilters } from './TaskFilters.tsx';
import { TaskList } from './TaskList.tsx';

/** The task board: add, filter, and the list. Filters live in the URL. */
export function TaskBoard() {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const today = localToday();
  // Each choice is a history entry (Back undoes it); typing a search replaces its entry.
  const setFilters = useCallback(
    (next: Filters, typing = false) => setSearch(searchFromFilters(next), { replace: typing }),
    [setSearch],
  );

  return (
    <section className="board" aria-labelledby="board-title">
      <h1 id="board-title" tabIndex={-1}>
        Tasks
      </h1>
      <NewTaskForm />
      <TaskFilters filters={filters} onChange={setFilters} />
      <TaskList filters={filters} today={today} onClear={() => setFilters({ sort: filters.sort })} />
    </section>
  );
}
