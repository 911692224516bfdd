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
  const setFilters = useCallback(
    (next: Filters) => setSearch(searchFromFilters(next), { replace: true }),
    [setSearch],
  );

  return (
    <section className="board" aria-labelledby="board-title">
      <h1 id="board-title">Tasks</h1>
      <NewTaskForm />
      <TaskFilters filters={filters} onChange={setFilters} />
      <TaskList filters={filters} today={today} onClear={() => setFilters({ sort: filters.sort })} />
    </section>
  );
}
