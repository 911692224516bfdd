import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseImages, ownerLabels, prepareTestcontainers } from '../src/index.ts';
import { containerDatabase, reconcile, runK6, writeLog } from '../src/load/index.ts';

// The reconciliation must be able to fail: a lost create, a delete that did not
// happen, an edit or completion the database does not hold, and a create
// applied twice are each reported; an unanswered write is held to neither outcome.
describe('reconciling the load with the database', () => {
  let postgres: StartedPostgreSqlContainer;
  const ids = {
    kept: '00000000-0000-4000-8000-000000000001',
    lost: '00000000-0000-4000-8000-000000000002',
    undeleted: '00000000-0000-4000-8000-000000000003',
    deleted: '00000000-0000-4000-8000-000000000004',
    twice: '00000000-0000-4000-8000-000000000005',
    edited: '00000000-0000-4000-8000-000000000007',
    completed: '00000000-0000-4000-8000-000000000008',
  };
  type State = { id: string; title: string; status?: string; version?: number };
  const ack = ({ id, title, status = 'open', version = 1 }: State) =>
    `reconcile ${JSON.stringify({ op: 'ack', task: { id, title, status, version } })}`;
  const send = (event: Record<string, unknown>) => `reconcile ${JSON.stringify({ op: 'send', ...event })}`;
  const deleted = (id: string) => `reconcile ${JSON.stringify({ op: 'deleted', id })}`;
  /** The lines logged by a real k6 run (console.log), read back from its console output. */
  const console = async (...lines: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), 'reconcile-'));
    const script = join(dir, 'log.js');
    await writeFile(
      script,
      `export const options = { vus: 1, iterations: 1 };\n` +
        `export default function () { for (const line of ${JSON.stringify(['other', ...lines])}) console.log(line); }\n`,
    );
    const result = await runK6({
      baseUrl: 'http://127.0.0.1:9',
      profile: 'smoke',
      outDir: dir,
      runTag: 'test',
      script,
    });
    expect(result.exitCode).toBe(0);
    const log = await writeLog(result.consolePath);
    await rm(dir, { recursive: true, force: true });
    return log;
  };

  beforeAll(async () => {
    prepareTestcontainers();
    postgres = await new PostgreSqlContainer(baseImages().POSTGRES_IMAGE).withLabels(ownerLabels()).start();
    const user = '10000000-0000-4000-8000-000000000000';
    const sql = `
      CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL);
      CREATE TABLE tasks (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), title text NOT NULL,
        status text NOT NULL DEFAULT 'open', version integer NOT NULL DEFAULT 1);
      INSERT INTO users VALUES ('${user}', 'load-run1-1@example.com');
      INSERT INTO tasks (id, user_id, title, status, version) VALUES
        ('${ids.kept}', '${user}', 'buy milk', 'open', 1),
        ('${ids.undeleted}', '${user}', 'call mum', 'open', 1),
        ('${ids.twice}', '${user}', 'write report', 'open', 1),
        ('00000000-0000-4000-8000-000000000006', '${user}', 'write report', 'open', 1),
        ('${ids.edited}', '${user}', 'water plants', 'open', 1),
        ('${ids.completed}', '${user}', 'feed cat', 'done', 2);`;
    const result = await postgres.exec([
      'psql',
      '-U',
      postgres.getUsername(),
      '-d',
      postgres.getDatabase(),
      '-c',
      sql,
    ]);
    expect(result.exitCode, result.output).toBe(0);
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('reports what was lost, not deleted, not as edited, and stored twice', async () => {
    const found = await reconcile(
      containerDatabase(postgres.getId()),
      await console(
        ack({ id: ids.kept, title: 'buy milk' }),
        ack({ id: ids.lost, title: 'lost' }),
        ack({ id: ids.undeleted, title: 'call mum' }),
        send({ kind: 'delete', id: ids.undeleted }),
        deleted(ids.undeleted),
        ack({ id: ids.deleted, title: 'gone' }),
        deleted(ids.deleted),
        ack({ id: ids.twice, title: 'write report' }),
        // Acknowledged as renamed, but the database still has the old title.
        ack({ id: ids.edited, title: 'water plants' }),
        send({ kind: 'update', id: ids.edited, title: 'water plants (oat)', version: 1 }),
        ack({ id: ids.edited, title: 'water plants (oat)', version: 2 }),
        ack({ id: ids.completed, title: 'feed cat' }),
        send({ kind: 'complete', id: ids.completed }),
        ack({ id: ids.completed, title: 'feed cat', status: 'done', version: 2 }),
      ),
      'run1',
    );
    expect(found).toEqual({
      created: 7,
      updated: 2,
      deleted: 2,
      inDoubt: 0,
      missing: [ids.lost],
      undeleted: [ids.undeleted],
      changed: [
        {
          id: ids.edited,
          expected: { id: ids.edited, title: 'water plants (oat)', status: 'open', version: 2 },
          found: { id: ids.edited, title: 'water plants', status: 'open', version: 1 },
        },
      ],
      duplicated: ['write report'],
    });
  });

  it('finds nothing wrong when the database holds exactly what was acknowledged', async () => {
    const found = await reconcile(
      containerDatabase(postgres.getId()),
      await console(
        ack({ id: ids.kept, title: 'buy milk' }),
        ack({ id: ids.lost, title: 'gone' }),
        deleted(ids.lost),
        ack({ id: ids.completed, title: 'feed cat', status: 'done', version: 2 }),
      ),
      'other-run',
    );
    expect(found).toMatchObject({ missing: [], undeleted: [], changed: [], duplicated: [] });
  });

  it('holds a write that was sent but never answered to neither outcome', async () => {
    const found = await reconcile(
      containerDatabase(postgres.getId()),
      await console(
        // The delete of "lost" may have happened; "kept"'s unanswered delete did not.
        ack({ id: ids.kept, title: 'buy milk' }),
        send({ kind: 'delete', id: ids.kept }),
        ack({ id: ids.lost, title: 'lost' }),
        send({ kind: 'delete', id: ids.lost }),
        // An edit that did not happen, and a completion that did, neither answered.
        ack({ id: ids.edited, title: 'water plants' }),
        send({ kind: 'update', id: ids.edited, title: 'water plants (oat)', version: 1 }),
        ack({ id: ids.completed, title: 'feed cat' }),
        send({ kind: 'complete', id: ids.completed }),
      ),
      'other-run',
    );
    expect(found).toMatchObject({ inDoubt: 4, missing: [], undeleted: [], changed: [] });
  });
});
