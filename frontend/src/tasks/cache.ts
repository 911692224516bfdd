import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { Task, TaskPage } from '../api/index.ts';
import { localToday, matchesFilters, type Filters } from './filters.ts';

export type TaskPages = InfiniteData<TaskPage, string | undefined>;

export const taskKeys = {
  /** Every task query: invalidate this after anything changes tasks (the assistant included). */
  all: ['tasks'] as const,
  list: (filters: Filters) => ['tasks', 'list', filters] as const,
};

const filtersOf = (key: QueryKey): Filters | undefined =>
  key[1] === 'list' ? (key[2] as Filters | undefined) : undefined;

function eachList(client: QueryClient, change: (pages: TaskPages, filters: Filters) => TaskPages): void {
  for (const [key, data] of client.getQueriesData<TaskPages>({ queryKey: ['tasks', 'list'] })) {
    const filters = filtersOf(key);
    if (data && filters) client.setQueryData<TaskPages>(key, change(data, filters));
  }
}

const mapItems = (pages: TaskPages, map: (items: Task[]) => Task[]): TaskPages => ({
  ...pages,
  pages: pages.pages.map((page) => ({ ...page, items: map(page.items) })),
});

/** Puts this version of a task wherever the cached lists hold its id (or `replacing`). */
export function putTask(client: QueryClient, task: Task, replacing = task.id): void {
  eachList(client, (pages) =>
    mapItems(pages, (items) => items.map((item) => (item.id === replacing ? task : item))),
  );
}

/** Adds a new task at the top of every cached list whose filters it matches. */
export function insertTask(client: QueryClient, task: Task): void {
  const today = localToday();
  eachList(client, (pages, filters) => {
    if (!matchesFilters(task, filters, today) || pages.pages.length === 0) return pages;
    const [first, ...rest] = pages.pages as [TaskPage, ...TaskPage[]];
    return { ...pages, pages: [{ ...first, items: [task, ...first.items] }, ...rest] };
  });
}

export function dropTask(client: QueryClient, id: string): void {
  eachList(client, (pages) => mapItems(pages, (items) => items.filter((item) => item.id !== id)));
}

/** A task not yet stored: shown at once, with its controls disabled. */
export const isPending = (task: Task): boolean => task.id.startsWith('pending-');
