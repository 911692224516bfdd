import { describe, expect, it } from 'vitest';
import type { Task } from '../api/index.ts';
import { filtersFromSearch, matchesFilters, queryFromFilters, searchFromFilters } from './filters.ts';

const today = '2026-11-22';
const task = (fields: Partial<Task>): Task => ({
  id: 'x',
  title: 'buy milk',
  notes: '',
  status: 'open',
  priority: 'medium',
  dueDate: null,
  completedAt: null,
  createdAt: '',
  updatedAt: '',
  version: 1,
  ...fields,
});

describe('filters', () => {
  it('round-trip through the URL, ignoring values the API would refuse', () => {
    const filters = filtersFromSearch(
      new URLSearchParams('status=done&priority=urgent&due=week&q=%20milk%20&sort=nonsense'),
    );
    expect(filters).toEqual({ status: 'done', due: 'week', q: 'milk', sort: '-createdAt' });
    expect(searchFromFilters(filters).toString()).toBe('status=done&due=week&q=milk');
  });

  it('turn due filters into the API’s strict date bounds', () => {
    expect(queryFromFilters({ sort: 'dueDate', due: 'today' }, today)).toMatchObject({
      dueAfter: '2026-11-21',
      dueBefore: '2026-11-23',
    });
    expect(queryFromFilters({ sort: 'dueDate', due: 'week' }, today)).toMatchObject({
      dueAfter: '2026-11-21',
      dueBefore: '2026-11-29',
    });
    expect(queryFromFilters({ sort: 'dueDate', due: 'overdue' }, today)).toMatchObject({
      dueBefore: today,
      status: 'open',
    });
    expect(queryFromFilters({ sort: 'dueDate', due: 'overdue', status: 'done' }, today)).toMatchObject({
      status: 'done',
    });
    expect(queryFromFilters({ sort: 'dueDate', due: 'week' }, '2026-12-30')).toMatchObject({
      dueBefore: '2027-01-06',
    });
  });

  it('decide where an optimistic new task belongs', () => {
    expect(matchesFilters(task({}), { sort: '-createdAt' }, today)).toBe(true);
    expect(matchesFilters(task({}), { sort: '-createdAt', status: 'done' }, today)).toBe(false);
    expect(matchesFilters(task({ dueDate: today }), { sort: '-createdAt', due: 'today' }, today)).toBe(true);
    expect(matchesFilters(task({ dueDate: null }), { sort: '-createdAt', due: 'today' }, today)).toBe(false);
    expect(
      matchesFilters(
        task({ notes: 'from the corner shop' }),
        { sort: '-createdAt', q: 'Corner milk' },
        today,
      ),
    ).toBe(true);
  });
});
