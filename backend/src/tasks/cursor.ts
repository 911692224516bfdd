import type { TaskSort } from './schema.ts';

/**
 * Where a page ended: the sort it belongs to, the last row's sort key and its id.
 * Written `<sort>.<key>.<id>` with keys that are numbers or base64url, so one
 * pattern (in the OpenAPI document) says exactly which strings are cursors, and
 * every string it admits is a position some listing could have reached:
 *
 * - createdAt, updatedAt: microseconds since 1970 (up to 17 digits);
 * - dueDate: days since 1970-01-01, or `none` (tasks without one come last);
 * - priority: 1 (low) to 3 (high);
 * - title: the lower-cased title, UTF-8 in base64url.
 */
export interface Cursor {
  sort: TaskSort;
  key: string;
  id: string;
}

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const keys = [
  '-?(?:createdAt|updatedAt)\\.[0-9]{1,17}',
  '-?dueDate\\.(?:-[0-9]{1,6}|[0-9]{1,7}|none)',
  '-?priority\\.[1-3]',
  '-?title\\.[A-Za-z0-9_-]{0,1400}',
];
export const cursorPattern = new RegExp(`^(?:${keys.join('|')})\\.${uuid}$`);

export function encodeCursor({ sort, key, id }: Cursor): string {
  const wire = sort.endsWith('title') ? Buffer.from(key).toString('base64url') : key;
  return `${sort}.${wire}.${id}`;
}

/** A string that matched cursorPattern (the route's schema checked it). */
export function decodeCursor(value: string): Cursor {
  const first = value.indexOf('.');
  const last = value.lastIndexOf('.');
  const sort = value.slice(0, first) as TaskSort;
  const wire = value.slice(first + 1, last);
  // Any base64url decodes to some text; Postgres cannot hold U+0000, and no title has it.
  const key = sort.endsWith('title')
    ? Buffer.from(wire, 'base64url').toString('utf8').replaceAll('\u0000', '')
    : wire;
  return { sort, key, id: value.slice(last + 1) };
}
