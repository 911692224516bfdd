import type { Task, TaskPriority, TaskQuery, TaskSort, TaskStatus } from '../api/index.ts';

export type DueFilter = 'overdue' | 'today' | 'week';

/** What the board shows; kept in the URL so a reload or a shared link shows the same. */
export interface Filters {
  status?: TaskStatus;
  priority?: TaskPriority;
  due?: DueFilter;
  q?: string;
  sort: TaskSort;
}

export const defaultSort: TaskSort = '-createdAt';

export const sortLabels: Record<TaskSort, string> = {
  '-createdAt': 'Newest first',
  createdAt: 'Oldest first',
  dueDate: 'Due date, soonest first',
  '-dueDate': 'Due date, latest first',
  '-priority': 'Priority, high first',
  priority: 'Priority, low first',
  title: 'Title, A to Z',
  '-title': 'Title, Z to A',
  '-updatedAt': 'Recently changed',
  updatedAt: 'Least recently changed',
};

const statuses: readonly TaskStatus[] = ['open', 'done'];
const priorities: readonly TaskPriority[] = ['low', 'medium', 'high'];
const dues: readonly DueFilter[] = ['overdue', 'today', 'week'];
const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((v) => v === value);

/** Unknown values in the URL are ignored rather than sent to the API. */
export function filtersFromSearch(search: URLSearchParams): Filters {
  const q = search.get('q')?.trim().slice(0, 200);
  const filters: Filters = {
    sort: oneOf(Object.keys(sortLabels) as TaskSort[], search.get('sort')) ?? defaultSort,
  };
  const status = oneOf(statuses, search.get('status'));
  const priority = oneOf(priorities, search.get('priority'));
  const due = oneOf(dues, search.get('due'));
  if (status) filters.status = status;
  if (priority) filters.priority = priority;
  if (due) filters.due = due;
  if (q) filters.q = q;
  return filters;
}

export function searchFromFilters(filters: Filters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.status) search.set('status', filters.status);
  if (filters.priority) search.set('priority', filters.priority);
  if (filters.due) search.set('due', filters.due);
  if (filters.q) search.set('q', filters.q);
  if (filters.sort !== defaultSort) search.set('sort', filters.sort);
  return search;
}

export function isFiltered(filters: Filters): boolean {
  return Boolean(filters.status ?? filters.priority ?? filters.due ?? filters.q);
}

/** Today's date where the user is, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  return isoDate(now);
}

function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return isoDate(new Date(y, m - 1, d + days));
}

/** The API query for these filters. The API's date bounds are strict. */
export function queryFromFilters(filters: Filters, today: string): TaskQuery {
  const query: TaskQuery = { sort: filters.sort, limit: 50 };
  if (filters.status) query.status = filters.status;
  if (filters.priority) query.priority = filters.priority;
  if (filters.q) query.q = filters.q;
  if (filters.due === 'overdue') {
    query.dueBefore = today;
    // Done tasks are not overdue, unless the user asks for done ones.
    query.status ??= 'open';
  } else if (filters.due === 'today') {
    query.dueAfter = addDays(today, -1);
    query.dueBefore = addDays(today, 1);
  } else if (filters.due === 'week') {
    query.dueAfter = addDays(today, -1);
    query.dueBefore = addDays(today, 7);
  }
  return query;
}

/** Whether a task belongs in a list with these filters (for optimistic inserts). */
export function matchesFilters(task: Task, filters: Filters, today: string): boolean {
  const query = queryFromFilters(filters, today);
  if (query.status && task.status !== query.status) return false;
  if (query.priority && task.priority !== query.priority) return false;
  if (query.dueBefore && !(task.dueDate && task.dueDate < query.dueBefore)) return false;
  if (query.dueAfter && !(task.dueDate && task.dueDate > query.dueAfter)) return false;
  if (query.q) {
    const text = `${task.title} ${task.notes}`.toLowerCase();
    if (
      !query.q
        .toLowerCase()
        .split(/\s+/)
        .every((word) => text.includes(word))
    )
      return false;
  }
  return true;
}
