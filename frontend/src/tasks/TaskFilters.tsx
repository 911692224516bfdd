import { useEffect, useId, useState } from 'react';
import type { TaskPriority, TaskSort, TaskStatus } from '../api/index.ts';
import { isFiltered, sortLabels, type DueFilter, type Filters } from './filters.ts';

/** Status, priority, due, search and sort. Search waits for a pause in typing. */
export function TaskFilters({
  filters,
  onChange,
}: {
  filters: Filters;
  /** `typing`: a search as it is typed, which replaces the history entry instead of adding one. */
  onChange: (filters: Filters, typing?: boolean) => void;
}) {
  const id = useId();
  const [q, setQ] = useState(filters.q ?? '');
  // The URL changed the search (back button, "Clear filters"): show it.
  const [shown, setShown] = useState(filters.q);
  if (shown !== filters.q) {
    setShown(filters.q);
    // Only a different search replaces what is typed ("buy " stays "buy ", not "buy").
    if ((filters.q ?? '') !== q.trim()) setQ(filters.q ?? '');
  }
  useEffect(() => {
    const trimmed = q.trim();
    if (trimmed === (filters.q ?? '')) return;
    const timer = setTimeout(() => {
      const { q: _old, ...rest } = filters;
      onChange(trimmed ? { ...rest, q: trimmed } : rest, true);
    }, 300);
    return () => clearTimeout(timer);
  }, [q, filters, onChange]);

  const choose = (key: 'status' | 'priority' | 'due', value: string) => {
    const { [key]: _old, ...rest } = filters;
    onChange(value ? { ...rest, [key]: value } : rest);
  };

  return (
    <div role="search" className="filters" aria-label="Filter tasks">
      <div className="field search-field">
        <label htmlFor={`${id}-q`}>Search</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          maxLength={200}
          placeholder="Words in title or notes"
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filters.status ?? ''}
          onChange={(e) => choose('status', e.target.value)}
        >
          <option value="">All</option>
          <option value={'open' satisfies TaskStatus}>Open</option>
          <option value={'done' satisfies TaskStatus}>Done</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={filters.priority ?? ''}
          onChange={(e) => choose('priority', e.target.value)}
        >
          <option value="">Any</option>
          <option value={'high' satisfies TaskPriority}>High</option>
          <option value={'medium' satisfies TaskPriority}>Medium</option>
          <option value={'low' satisfies TaskPriority}>Low</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-due`}>Due</label>
        <select id={`${id}-due`} value={filters.due ?? ''} onChange={(e) => choose('due', e.target.value)}>
          <option value="">Any time</option>
          <option value={'overdue' satisfies DueFilter}>Overdue</option>
          <option value={'today' satisfies DueFilter}>Today</option>
          <option value={'week' satisfies DueFilter}>Next 7 days</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={filters.sort}
          onChange={(e) => onChange({ ...filters, sort: e.target.value as TaskSort })}
        >
          {Object.entries(sortLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {isFiltered(filters) && (
        <button type="button" className="link-button" onClick={() => onChange({ sort: filters.sort })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
