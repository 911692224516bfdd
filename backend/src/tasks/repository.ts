import type { Db } from '../db/index.ts';
import type { CreateTaskInput, ListTasksQuery, Task, TaskSort, UpdateTaskInput } from './schema.ts';

// Every statement here is parameterised and scoped by user_id.

const columns = 'id, title, notes, status, priority, due_date, completed_at, created_at, updated_at, version';

interface TaskRow {
  id: string;
  title: string;
  notes: string;
  status: Task['status'];
  priority: Task['priority'];
  due_date: string | null;
  /** ISO strings: the tasks pool parses timestamptz as text (db/timestamps.ts). */
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    notes: row.notes,
    status: row.status,
    priority: row.priority,
    dueDate: row.due_date,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/**
 * Sort expressions (as the indexes have them), the key a cursor keeps for a row
 * (SQL, as text; see cursor.ts), and the SQL value a cursor's key stands for.
 * Every key the cursor pattern admits is a value Postgres can hold.
 */
interface SortColumn {
  expression: string;
  keyOf: string;
  value: (key: string, param: (value: unknown) => string) => string;
}
const microsecondsKey = (column: string): SortColumn => ({
  expression: column,
  keyOf: `(extract(epoch FROM ${column}) * 1000000)::bigint::text`,
  value: (key, param) => {
    const micros = BigInt(key);
    const seconds = param(String(micros / 1_000_000n));
    const rest = param(String(micros % 1_000_000n));
    return `(timestamptz 'epoch' + ${seconds}::bigint * interval '1 second' + ${rest}::integer * interval '1 microsecond')`;
  },
});
const sortColumns: Record<string, SortColumn> = {
  createdAt: microsecondsKey('created_at'),
  updatedAt: microsecondsKey('updated_at'),
  dueDate: {
    expression: "coalesce(due_date, 'infinity'::date)",
    keyOf: "coalesce((due_date - date '1970-01-01')::text, 'none')",
    // Two parameters, not a CASE on one: Postgres may fold 'none'::integer and fail.
    value: (key, param) =>
      `coalesce(date '1970-01-01' + ${param(key === 'none' ? null : Number(key))}::integer, 'infinity'::date)`,
  },
  priority: {
    expression: "(CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)",
    keyOf: "(CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)::text",
    value: (key, param) => `${param(Number(key))}::integer`,
  },
  title: {
    expression: 'lower(title)',
    keyOf: 'lower(title)',
    value: (key, param) => `${param(key)}::text`,
  },
};

function sortOf(sort: TaskSort) {
  const descending = sort.startsWith('-');
  const column = sortColumns[descending ? sort.slice(1) : sort];
  if (!column) throw new Error(`unknown sort ${sort}`);
  return { ...column, descending };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function insertTask(db: Db, userId: string, input: CreateTaskInput): Promise<Task> {
  const { rows } = await db.query<TaskRow>(
    `INSERT INTO tasks (user_id, title, notes, priority, due_date)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
    [userId, input.title, input.notes, input.priority, input.dueDate],
  );
  return toTask(rows[0] as TaskRow);
}

export async function findTask(db: Db, userId: string, id: string): Promise<Task | undefined> {
  const { rows } = await db.query<TaskRow>(`SELECT ${columns} FROM tasks WHERE user_id = $1 AND id = $2`, [
    userId,
    id,
  ]);
  return rows[0] ? toTask(rows[0]) : undefined;
}

export interface ListPosition {
  key: string;
  id: string;
}

/** One page plus, when more rows follow, the position of its last row. */
export async function selectTasks(
  db: Db,
  userId: string,
  query: ListTasksQuery,
  after: ListPosition | undefined,
): Promise<{ tasks: Task[]; last: ListPosition | undefined }> {
  const sort = sortOf(query.sort);
  const values: unknown[] = [userId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['user_id = $1'];
  if (query.status) where.push(`status = ${param(query.status)}`);
  if (query.priority) where.push(`priority = ${param(query.priority)}`);
  if (query.dueBefore) where.push(`due_date < ${param(query.dueBefore)}`);
  if (query.dueAfter) where.push(`due_date > ${param(query.dueAfter)}`);
  if (query.q) {
    const pattern = param(`%${escapeLike(query.q)}%`);
    where.push(`(title ILIKE ${pattern} OR notes ILIKE ${pattern})`);
  }
  if (after) {
    const comparison = sort.descending ? '<' : '>';
    where.push(
      `(${sort.expression}, id) ${comparison} (${sort.value(after.key, param)}, ${param(after.id)}::uuid)`,
    );
  }
  const direction = sort.descending ? 'DESC' : 'ASC';
  const limit = param(query.limit + 1);
  const { rows } = await db.query<TaskRow & { sort_key: string }>(
    `SELECT ${columns}, ${sort.keyOf} AS sort_key FROM tasks
     WHERE ${where.join(' AND ')}
     ORDER BY ${sort.expression} ${direction}, id ${direction}
     LIMIT ${limit}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  const lastRow = page.at(-1);
  const more = rows.length > query.limit;
  return {
    tasks: page.map(toTask),
    last: more && lastRow ? { key: lastRow.sort_key, id: lastRow.id } : undefined,
  };
}

export type TaskChanges = Omit<UpdateTaskInput, 'version'>;

/**
 * Applies the changes when the task exists and (if given) still has `expectedVersion`;
 * `onlyIfStatusDiffers` makes complete/reopen of a task already in that state a no-op.
 * Returns undefined when nothing matched.
 */
export async function updateTask(
  db: Db,
  userId: string,
  id: string,
  changes: TaskChanges,
  expectedVersion: number | undefined,
  onlyIfStatusDiffers = false,
): Promise<Task | undefined> {
  const values: unknown[] = [userId, id];
  const param = (value: unknown) => `$${values.push(value)}`;
  const set: string[] = [];
  if (changes.title !== undefined) set.push(`title = ${param(changes.title)}`);
  if (changes.notes !== undefined) set.push(`notes = ${param(changes.notes)}`);
  if (changes.priority !== undefined) set.push(`priority = ${param(changes.priority)}`);
  if (changes.dueDate !== undefined) set.push(`due_date = ${param(changes.dueDate)}`);
  const where = ['user_id = $1', 'id = $2'];
  if (changes.status !== undefined) {
    const status = param(changes.status);
    set.push(`status = ${status}::text`);
    set.push(
      `completed_at = CASE WHEN ${status}::text = 'done' THEN coalesce(completed_at, now()) ELSE NULL END`,
    );
    if (onlyIfStatusDiffers) where.push(`status <> ${status}::text`);
  }
  if (expectedVersion !== undefined) where.push(`version = ${param(expectedVersion)}`);
  set.push('version = version + 1', 'updated_at = now()');
  const { rows } = await db.query<TaskRow>(
    `UPDATE tasks SET ${set.join(', ')} WHERE ${where.join(' AND ')} RETURNING ${columns}`,
    values,
  );
  return rows[0] ? toTask(rows[0]) : undefined;
}

export async function deleteTask(
  db: Db,
  userId: string,
  id: string,
  expectedVersion: number | undefined,
): Promise<boolean> {
  const values: unknown[] = [userId, id];
  let sql = 'DELETE FROM tasks WHERE user_id = $1 AND id = $2';
  if (expectedVersion !== undefined) sql += ` AND version = $${values.push(expectedVersion)}`;
  const { rowCount } = await db.query(sql, values);
  return (rowCount ?? 0) > 0;
}
