// After the load: did the database keep exactly what the load was told?
// Every acknowledged create exists once, every acknowledged delete is gone. A
// delete that was sent but never answered (the run ended, the request timed
// out) may or may not have happened: either state of that task is right.
import { spawn } from 'node:child_process';

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
function psql(container: string, sql: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', [
      'exec',
      '-i',
      container,
      'sh',
      '-c',
      'psql -X -At -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
    ]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out.split('\n').filter(Boolean));
      else reject(new Error(`psql in ${container} failed: ${err.trim()}`));
    });
    child.stdin.end(sql);
  });
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
