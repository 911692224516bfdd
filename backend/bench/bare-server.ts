// The baseline: Fastify + pg with the same queries as the API, and nothing else
// (no auth, validation, logging, rate limits). Run as its own process by run.ts.
import Fastify from 'fastify';
import pg from 'pg';

const { DATABASE_URL, PORT = '3100', USER_ID } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const app = Fastify();
const columns = 'id, title, notes, status, priority, due_date, completed_at, created_at, updated_at, version';

app.get('/tasks', async () => {
  const { rows } = await pool.query(
    `SELECT ${columns} FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50`,
    [USER_ID],
  );
  return { items: rows };
});

app.post('/tasks', async (request, reply) => {
  const { title } = request.body as { title: string };
  const { rows } = await pool.query(
    `INSERT INTO tasks (user_id, title) VALUES ($1, $2) RETURNING ${columns}`,
    [USER_ID, title],
  );
  return reply.code(201).send(rows[0]);
});

await app.listen({ host: '127.0.0.1', port: Number(PORT) });
process.stdout.write('ready\n');
