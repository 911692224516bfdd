import type { TaskPriority } from '../api/index.ts';
import { addDays } from './filters.ts';

export const priorityLabels: Record<TaskPriority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** "Today", "Tomorrow", "Yesterday", else a short date ("Fri 5 Dec"), with the year when not this year's. */
export function formatDue(due: string, today: string): string {
  if (due === today) return 'Today';
  if (due === addDays(today, 1)) return 'Tomorrow';
  if (due === addDays(today, -1)) return 'Yesterday';
  const [y, m, d] = due.split('-').map(Number) as [number, number, number];
  const sameYear = due.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(new Date(y, m - 1, d));
}
