// After the load: did the database keep exactly what the load was told?
// Every acknowledged create exists once, every acknowledged delete is gone. A
// delete that was sent but never answered (the run ended, the request timed
// out) may or may not have happened: either state of that task is right.
import { DockerCommandError, execIn } from '../docker/index.ts';

/** What the load logged: creates and deletes acknowledged, and deletes sent. */
export interface Writes {
  created: string[];
  deleted: string[];
  deleting: string[];
}

export interface Reconciliation {
  created: number;
  deleted: number;
  /** Deletes sent without an answer: the task may exist or not. */
  inDoubt: number;
  /** Acknowledged creates (not deleted since) that are not in the database. */
  missing: string[];
  /** Acknowledged deletes still in the database. */
  undeleted: string[];
  /** Titles of this run's users stored more than once (a retried create applied twice). */
  duplicated: string[];
}

/** psql inside the stack's Postgres container, the SQL on stdin; rows as lines. */
async function psql(container: string, sql: string): Promise<string[]> {
  try {
    const rows = await execIn(
      container,
      ['sh', '-c', 'psql -X -At -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'],
      { stdin: sql },
    );
    return rows.split('\n').filter(Boolean);
  } catch (error) {
    const reason = error instanceof DockerCommandError ? error.stderr.trim() : (error as Error).message;
    throw new Error(`psql in ${container} failed: ${reason}`, { cause: error });
  }
}

const uuidList = (ids: string[]) => `'{${ids.filter((id) => /^[0-9a-f-]{36}$/.test(id)).join(',')}}'::uuid[]`;

export async function reconcile(
  postgresContainer: string,
  writes: Writes,
  runTag: string,
): Promise<Reconciliation> {
  const deleted = new Set(writes.deleted);
  const inDoubt = new Set(writes.deleting.filter((id) => !deleted.has(id)));
  const kept = writes.created.filter((id) => !deleted.has(id) && !inDoubt.has(id));
  const present = new Set(
    await psql(
      postgresContainer,
      `SELECT id FROM tasks WHERE id = ANY(${uuidList([...kept, ...deleted])});\n`,
    ),
  );
  const duplicated = await psql(
    postgresContainer,
    `SELECT t.title FROM tasks t JOIN users u ON u.id = t.user_id
      WHERE u.email LIKE 'load-${runTag.replace(/[^a-z0-9]/g, '')}-%'
      GROUP BY t.user_id, t.title HAVING count(*) > 1;\n`,
  );
  return {
    created: writes.created.length,
    deleted: deleted.size,
    inDoubt: inDoubt.size,
    missing: kept.filter((id) => !present.has(id)),
    undeleted: [...deleted].filter((id) => present.has(id)),
    duplicated,
  };
}
