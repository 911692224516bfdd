import { hashPassword as betterAuthDefaultHash } from 'better-auth/crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAuth, SignInGuard } from '../src/auth/index.ts';
import { loadConfig } from '../src/config/index.ts';
import type { Passwords } from '../src/passwords/index.ts';
import { RateLimiter } from '../src/ratelimit/index.ts';
import { publicUrl, startApi, testSecret, type RunningApi } from './support/api.ts';
import { Client, password } from './support/client.ts';
import { createTestDatabase } from './support/database.ts';

let api: RunningApi;
let db: pg.Pool;
beforeAll(async () => {
  api = await startApi();
  db = new pg.Pool({ connectionString: api.databaseUrl, max: 2 });
});
afterAll(async () => {
  await db.end();
  await api.close();
});

const storedHash = async (email: string): Promise<string> => {
  const { rows } = await db.query<{ password: string }>(
    `SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = $1 AND a.provider_id = 'credential'`,
    [email],
  );
  return rows[0]?.password ?? '';
};

describe('stored passwords', () => {
  it('are argon2id at OWASP’s 12 MiB, 3 passes, each with its own salt', async () => {
    const [first, second] = [new Client(api.url), new Client(api.url)];
    expect((await first.signUp()).status).toBe(200);
    expect((await second.signUp()).status).toBe(200);
    const [a, b] = [await storedHash(first.email), await storedHash(second.email)];
    expect(a).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect((await first.signIn()).status).toBe(200);
    expect((await first.signIn(first.email, 'not the password')).status).toBe(401);
  });

  it('made by better-auth’s default scrypt still sign in, and are re-hashed as argon2id on that sign-in', async () => {
    const client = new Client(api.url);
    expect((await client.signUp()).status).toBe(200);
    // An account from before argon2id: better-auth's own hash of the same password.
    const legacy = await betterAuthDefaultHash(password);
    expect(legacy).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    await db.query(
      `UPDATE accounts SET password = $1 WHERE user_id = (SELECT id FROM users WHERE email = $2)`,
      [legacy, client.email],
    );
    expect((await client.signIn(client.email, 'not the password')).status).toBe(401);
    expect(await storedHash(client.email)).toBe(legacy);
    expect((await client.signIn()).status).toBe(200);
    const upgraded = await storedHash(client.email);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    expect((await client.signIn()).status).toBe(200);
    expect((await client.signIn(client.email, 'not the password')).status).toBe(401);
    expect(await storedHash(client.email)).toBe(upgraded);
  });

  it('wait their turn in /metrics when more are hashed than the replica has CPUs', async () => {
    const metrics = await fetch(`${api.url}/metrics`).then((reply) => reply.text());
    expect(metrics).toMatch(/^password_hash_wait_seconds_count \d+$/m);
    expect(metrics).toMatch(/^password_hashes\{state="waiting"\} \d+$/m);
  });
});

describe('a sign-up', () => {
  it('does not hold a database connection while its password is hashed', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresUrl'));
    // One connection only: if sign-up's transaction held it while hashing, nothing else could query.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    let release: () => void = () => undefined;
    let hashing: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (hashing = resolve));
    const gated: Passwords = {
      hash: async (plain) => {
        hashing();
        await new Promise<void>((resolve) => (release = resolve));
        return `gated:${plain.length}`;
      },
      verify: async () => false,
      metrics: [],
    };
    const auth = createAuth({
      config: loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL: publicUrl, AUTH_SECRET: testSecret }),
      pool,
      passwords: gated,
      limiter: new RateLimiter(undefined, 'test:'),
      signInGuard: new SignInGuard(undefined, 'test:', {
        max: 5,
        windowMs: 60_000,
        addressMax: 30,
        accountMax: 100,
      }),
      sessionCache: undefined,
      logger: pino({ level: 'silent' }),
    });
    try {
      const signUp = auth.handle(
        new Request(`${publicUrl}/api/auth/sign-up/email`, {
          method: 'POST',
          headers: { origin: publicUrl, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'gated@example.com', password, name: 'Gated' }),
        }),
      );
      await started;
      const query = pool.query('SELECT 1 AS ok');
      const timeout = new Promise<string>((resolve) => {
        setTimeout(() => {
          resolve('timed out');
        }, 3_000);
      });
      expect(await Promise.race([query.then(() => 'answered'), timeout])).toBe('answered');
      release();
      expect((await signUp).status).toBe(200);
      const { rows } = await pool.query<{ password: string }>('SELECT password FROM accounts');
      expect(rows).toEqual([{ password: `gated:${password.length}` }]);
    } finally {
      release();
      await pool.end();
    }
  });
});
