// `npm run migrate -w backend`: applies pending migrations and exits.
// Runs once per release (compose one-shot service, Railway pre-deploy command),
// never in each replica's start-up. Waits for the database for up to MIGRATE_WAIT_SECONDS.
/* eslint-disable no-console -- a CLI speaks on stdout/stderr */
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../errors/index.ts';
import { migrate } from './migrate.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('migrate: DATABASE_URL is required (e.g. postgres://todo:todo@localhost:5432/todo)');
  process.exit(2);
}
const waitSeconds = process.env.MIGRATE_WAIT_SECONDS ? Number(process.env.MIGRATE_WAIT_SECONDS) : 30;
if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
  console.error('migrate: MIGRATE_WAIT_SECONDS must be a number of seconds (e.g. 30)');
  process.exit(2);
}
const deadline = Date.now() + waitSeconds * 1000;

for (;;) {
  try {
    const applied = await migrate({ databaseUrl });
    console.log(
      applied.length > 0 ? `migrate: applied ${applied.join(', ')}` : 'migrate: schema is up to date',
    );
    process.exit(0);
  } catch (error) {
    if (isDatabaseUnavailable(error) && Date.now() < deadline) {
      await sleep(1000);
      continue;
    }
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`migrate: failed: ${reason}`);
    if (isDatabaseUnavailable(error))
      console.error(
        `migrate: the database did not answer within ${waitSeconds}s; check DATABASE_URL and that Postgres is running`,
      );
    process.exit(1);
  }
}
