import { AppError } from '../errors/index.ts';
import type { TaskSort } from './schema.ts';

/** Where a page ended: the sort it belongs to, the last row's sort key (as Postgres text) and id. */
export interface Cursor {
  sort: TaskSort;
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string, sort: TaskSort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_CURSOR', { fields: { cursor: 'is not a cursor from this API' } });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every((part) => typeof part === 'string') ||
    !/^[0-9a-f-]{36}$/.test(parsed[2] as string)
  ) {
    throw new AppError('INVALID_CURSOR', { fields: { cursor: 'is not a cursor from this API' } });
  }
  const [cursorSort, key, id] = parsed as [string, string, string];
  if (cursorSort !== sort) {
    throw new AppError('INVALID_CURSOR', {
      fields: { cursor: `belongs to sort=${cursorSort}, not sort=${sort}` },
    });
  }
  return { sort, key, id };
}
