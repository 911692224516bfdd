import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseImages, ownerLabels, prepareTestcontainers } from '../src/index.ts';
import { reconcile } from '../src/load/index.ts';

// The reconciliation must be able to fail: a lost create, a delete that did not
// happen and a create applied twice are each reported.
describe('reconciling the load with the database', () => {
  let postgres: StartedPostgreSqlContainer;
  const ids = {
    kept: '00000000-0000-4000-8000-000000000001',
    lost: '00000000-0000-4000-8000-000000000002',
    undeleted: '00000000-0000-4000-8000-000000000003',
    deleted: '00000000-0000-4000-8000-000000000004',
    twice: '00000000-0000-4000-8000-000000000005',
  };

  beforeAll(async () => {
    prepareTestcontainers();
    postgres = await new PostgreSqlContainer(baseImages().POSTGRES_IMAGE).withLabels(ownerLabels()).start();
    const sql = `
      CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL);
      CREATE TABLE tasks (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), title text NOT NULL);
      INSERT INTO users VALUES ('10000000-0000-4000-8000-000000000000', 'load-run1-1@example.com');
      INSERT INTO tasks VALUES
        ('${ids.kept}', '10000000-0000-4000-8000-000000000000', 'buy milk'),
        ('${ids.undeleted}', '10000000-0000-4000-8000-000000000000', 'call mum'),
        ('${ids.twice}', '10000000-0000-4000-8000-000000000000', 'write report'),
        ('00000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000000', 'write report');`;
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

  it('reports what was lost, what was not deleted and what was stored twice', async () => {
    const found = await reconcile(
      postgres.getId(),
      {
        created: [ids.kept, ids.lost, ids.undeleted, ids.deleted, ids.twice],
        deleted: [ids.undeleted, ids.deleted],
        deleting: [ids.undeleted, ids.deleted],
      },
      'run1',
    );
    expect(found).toEqual({
      created: 5,
      deleted: 2,
      inDoubt: 0,
      missing: [ids.lost],
      undeleted: [ids.undeleted],
      duplicated: ['write report'],
    });
  });

  it('finds nothing wrong when the database holds exactly what was acknowledged', async () => {
    const found = await reconcile(
      postgres.getId(),
      { created: [ids.kept], deleted: [ids.lost], deleting: [ids.lost] },
      'other-run',
    );
    expect(found).toMatchObject({ missing: [], undeleted: [], duplicated: [] });
  });

  it('holds a delete that was sent but never answered to neither outcome', async () => {
    const found = await reconcile(
      postgres.getId(),
      // The delete of "lost" may have happened; "kept"'s unanswered delete did not.
      { created: [ids.kept, ids.lost], deleted: [], deleting: [ids.kept, ids.lost] },
      'other-run',
    );
    expect(found).toMatchObject({ inDoubt: 2, missing: [], undeleted: [] });
  });
});
