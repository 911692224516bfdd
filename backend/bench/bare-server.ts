// The baseline: Fastify + pg with the same queries as the API, and nothing else
// (no better-auth, validation, logging, rate limits, session cache). The same
// paths as the API, so one load script drives either: run as a process by
// run.ts, and as the `backend` of the rehearsal by harness/bench/topology.ts.
// The user is the `bare_user` cookie that its sign-in sets, else USER_ID.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { verifyArgon2id } from '../src/passwords/index.ts';

const { DATABASE_URL, HOST = '127.0.0.1', PORT = '3100', USER_ID } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const app = Fastify();
const columns = 'id, title, notes, status, priority, due_date, completed_at, created_at, updated_at, version';

const userOf = (cookie: string | undefined): string | undefined =>
  /(?:^|;\s*)bare_user=([0-9a-f-]{36})/.exec(cookie ?? '')?.[1] ?? USER_ID;

app.get('/health', async () => ({ status: 'ok' }));
app.get('/ready', async () => {
  await pool.query('SELECT 1');
  return { status: 'ready' };
});

app.post('/api/auth/sign-in/email', async (request, reply) => {
  const { email, password } = request.body as { email: string; password: string };
  const { rows } = await pool.query<{ id: string; password: string }>(
    `SELECT u.id, a.password FROM users u JOIN accounts a ON a.user_id = u.id
      WHERE u.email = $1 AND a.provider_id = 'credential'`,
    [email.toLowerCase()],
  );
  const account = rows[0];
  if (!account || !(await verifyArgon2id(account.password, password))) return reply.code(401).send({});
  await pool.query(
    `INSERT INTO sessions (user_id, token, expires_at) VALUES ($1, $2, now() + interval '7 days')`,
    [account.id, randomBytes(24).toString('base64url')],
  );
  void reply.header('set-cookie', `bare_user=${account.id}; Path=/; HttpOnly; SameSite=Lax`);
  return { user: { id: account.id, email } };
});

app.get('/api/tasks', async (request) => {
  const { rows } = await pool.query(
    `SELECT ${columns} FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50`,
    [userOf(request.headers.cookie)],
  );
  return { items: rows, nextCursor: null };
});

app.post('/api/tasks', async (request, reply) => {
  const { title } = request.body as { title: string };
  const { rows } = await pool.query(
    `INSERT INTO tasks (user_id, title) VALUES ($1, $2) RETURNING ${columns}`,
    [userOf(request.headers.cookie), title],
  );
  return reply.code(201).send(rows[0]);
});

app.patch('/api/tasks/:id', async (request, reply) => {
  const { id } = request.params as { id: string };
  const { title, version } = request.body as { title: string; version: number };
  const { rows } = await pool.query(
    `UPDATE tasks SET title = $3, version = version + 1, updated_at = now()
      WHERE user_id = $1 AND id = $2 AND version = $4 RETURNING ${columns}`,
    [userOf(request.headers.cookie), id, title, version],
  );
  return rows[0] ? rows[0] : reply.code(409).send({ code: 'VERSION_CONFLICT' });
});

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
await app.listen({ host: HOST, port: Number(PORT) });
process.stdout.write('ready\n');
