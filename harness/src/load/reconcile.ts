// After the load: does the database hold exactly what the load was told? Every
// task's last acknowledged write decides its state: created, edited (title and
// version), completed, deleted. A write that was sent but never answered (the
// server failed mid-way, the run ended) may or may not have happened: either
// state is right. Nothing is stored twice.
import { DockerCommandError, execIn } from '../docker/index.ts';
import { allows, expectations, type Outcome, type TaskState, type WriteLog } from './writes.ts';

/** A task the database holds otherwise than the load's writes allow. */
export interface Mismatch {
  id: string;
  /** The state the last acknowledged write left. */
  expected: Outcome;
  found: Outcome;
}

export interface Reconciliation {
  /** Tasks acknowledged as created. */
  created: number;
  /** Acknowledged edits and completions. */
  updated: number;
  /** Acknowledged deletes. */
  deleted: number;
  /** Writes sent without an answer: either outcome is accepted. */
  inDoubt: number;
  /** Tasks acknowledged (and not deleted since) that are not in the database. */
  missing: string[];
  /** Acknowledged deletes still in the database. */
  undeleted: string[];
  /** Tasks whose title, status or version is not what the last acknowledged write left. */
  changed: Mismatch[];
  /** Titles of this run's users stored more than once (a retried create applied twice). */
  duplicated: string[];
}

/** The rehearsal's Postgres, asked in SQL: rows as lines (psql -At). */
export interface TaskDatabase {
  /** Where it runs, for messages: a container id, a pod. */
  where: string;
  query(sql: string): Promise<string[]>;
}

/** psql inside a Compose rehearsal's Postgres container, the SQL on stdin. */
export function containerDatabase(container: string): TaskDatabase {
  return {
    where: container,
    async query(sql) {
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
    },
  };
}

const uuidList = (ids: string[]) => `'{${ids.filter((id) => /^[0-9a-f-]{36}$/.test(id)).join(',')}}'::uuid[]`;

export async function reconcile(
  database: TaskDatabase,
  log: WriteLog,
  runTag: string,
): Promise<Reconciliation> {
  const expected = expectations(log);
  const rows = await database.query(
    `SELECT json_build_object('id', id, 'title', title, 'status', status, 'version', version)
       FROM tasks WHERE id = ANY(${uuidList(expected.map((e) => e.id))});\n`,
  );
  const stored = new Map(
    rows.map((row) => {
      const task = JSON.parse(row) as TaskState;
      return [task.id, task];
    }),
  );
  const duplicated = await database.query(
    `SELECT t.title FROM tasks t JOIN users u ON u.id = t.user_id
      WHERE u.email LIKE 'load-${runTag.replace(/[^a-z0-9]/g, '')}-%'
      GROUP BY t.user_id, t.title HAVING count(*) > 1;\n`,
  );
  const found: Reconciliation = {
    created: 0,
    updated: 0,
    deleted: 0,
    inDoubt: 0,
    missing: [],
    undeleted: [],
    changed: [],
    duplicated,
  };
  for (const expectation of expected) {
    const { acknowledged } = expectation;
    found.created += 1;
    found.deleted += acknowledged === 'absent' ? 1 : 0;
    found.updated += expectation.writes - 1 - (acknowledged === 'absent' ? 1 : 0);
    found.inDoubt += expectation.inDoubt;
    const state: Outcome = stored.get(expectation.id) ?? 'absent';
    if (allows(expectation, state)) continue;
    if (state === 'absent') found.missing.push(expectation.id);
    else if (acknowledged === 'absent') found.undeleted.push(expectation.id);
    else found.changed.push({ id: expectation.id, expected: acknowledged, found: state });
  }
  return found;
}
