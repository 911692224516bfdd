import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { baseImages, ownerLabels } from '@todo/harness';
import { GenericContainer, Wait } from 'testcontainers';
import { publicUrl, startApi, type RunningApi } from './support/api.ts';
import { Client, password, signedUpClient } from './support/client.ts';
import { docker } from './support/outage.ts';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('accounts', () => {
  it('signs up, reads the session, signs out and signs in again', async () => {
    const client = new Client(api.url);
    const signUp = await client.signUp();
    expect(signUp.status).toBe(200);
    expect(signUp.body.user.email).toBe(client.email);

    const session = await client.session();
    expect(session.body.user.email).toBe(client.email);

    expect((await client.signOut()).status).toBe(200);
    expect((await client.session()).body).toBeNull();
    expect((await client.listTasks()).status).toBe(401);

    expect((await client.signIn()).status).toBe(200);
    expect((await client.listTasks()).status).toBe(200);
  });

  it('sets an HttpOnly, SameSite session cookie', async () => {
    const client = new Client(api.url);
    const reply = await client.signUp();
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('todo.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('keeps sessions in Postgres', async () => {
    const client = await signedUpClient(api.url);
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1',
        [client.email],
      );
      expect(rows[0].n).toBe(1);
      await client.signOut();
      const after = await db.query(
        'SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1',
        [client.email],
      );
      expect(after.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('refuses a second account with the same email', async () => {
    const first = await signedUpClient(api.url);
    const second = new Client(api.url);
    const reply = await second.signUp(first.email);
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
  });

  it('answers 401 to a wrong password and says which fields are bad on sign-up', async () => {
    const client = await signedUpClient(api.url);
    const stranger = new Client(api.url);
    expect((await stranger.signIn(client.email, 'not the password')).status).toBe(401);

    const badEmail = await new Client(api.url).signUp('not-an-email', password);
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toMatch(/email/i);
    const shortPassword = await new Client(api.url).signUp('short@example.com', 'short');
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.code).toBe('PASSWORD_TOO_SHORT');
  });

  it('refuses a NUL character in the name or email as 400 naming the field, and creates no account', async () => {
    const email = `nul-${randomUUID()}@example.com`;
    const client = new Client(api.url);
    const reply = await client.request('POST', '/api/auth/sign-up/email', {
      body: { email, password, name: 'Ann\u0000' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { name: 'must not contain NUL characters (U+0000)' },
    });
    expect((await new Client(api.url).signIn(email)).status).toBe(401);
    const badEmail = await new Client(api.url).signIn(`a\u0000${email}`);
    expect(badEmail.status).toBe(400);
    expect(Object.keys(badEmail.body.fields as object)).toEqual(['email']);

    const user = await signedUpClient(api.url);
    const rename = await user.request('POST', '/api/auth/update-user', { body: { name: 'B\u0000' } });
    expect(rename.status).toBe(400);
    expect((await user.session()).body.user.name).toBe('Test User');
  });

  it('needs a trusted Origin on cookie-authenticated writes', async () => {
    const client = await signedUpClient(api.url);
    client.origin = undefined;
    const noOrigin = await client.createTask({ title: 'x' });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.code).toBe('FORBIDDEN_ORIGIN');
    expect((await client.signOut()).status).toBe(403);

    client.origin = 'https://evil.example';
    expect((await client.createTask({ title: 'x' })).status).toBe(403);

    client.origin = undefined;
    expect((await client.listTasks()).status).toBe(200);
  });
});

describe('the session cache in Redis', () => {
  it('cannot make one user another: a session written into Redis without AUTH_SECRET is not believed', async () => {
    const prefix = `forge-${randomUUID()}:`;
    await using replica = await startApi({ env: { REDIS_KEY_PREFIX: prefix, SESSION_CACHE_SECONDS: '0' } });
    const alice = await signedUpClient(replica.url);
    const bob = await signedUpClient(replica.url);
    const aliceSession = (await alice.session()).body as {
      session: Record<string, unknown>;
      user: { id: string };
    };
    const bobUser = ((await bob.session()).body as { user: Record<string, unknown> }).user;
    // What better-auth caches per session token: Alice's session, but Bob as its user.
    const forged = JSON.stringify({
      session: { ...aliceSession.session, userId: bobUser.id },
      user: bobUser,
    });
    const redis = new Redis(inject('redisUrl'));
    try {
      const token = String(aliceSession.session.token);
      await redis.set(`${prefix}auth:${token}`, forged, 'EX', 600);
      for (const key of await redis.keys(`${prefix}auth:*`)) await redis.set(key, forged, 'KEEPTTL');
    } finally {
      redis.disconnect();
    }
    const seen = (await alice.session()).body as { user: { id: string } };
    expect(seen.user.id).toBe(aliceSession.user.id);
    expect((await alice.listTasks()).status).toBe(200);
    expect(replica.logs.text()).toMatch(/a cached session failed its check/);
  });
});

describe('session cookies', () => {
  it('with an https PUBLIC_URL, trusts only the __Secure- cookie, so a planted plain cookie cannot borrow a session', async () => {
    await using secure = await startApi({
      env: { PUBLIC_URL: 'https://todo.example', TRUSTED_ORIGINS: publicUrl },
    });
    const victim = await signedUpClient(secure.url);
    const [[name, value] = ['', '']] = [...victim.cookies];
    expect(name).toBe('__Secure-todo.session_token');
    // The victim's browser, carrying a cookie an attacker planted on a subdomain:
    const planted = 'planted-by-attacker';
    const asVictim = await fetch(`${secure.url}/api/tasks`, {
      headers: { cookie: `todo.session_token=${planted}; __Secure-todo.session_token=${value}` },
    });
    expect(asVictim.status).toBe(200);
    const asAttacker = await fetch(`${secure.url}/api/tasks`, {
      headers: { cookie: `todo.session_token=${planted}` },
    });
    expect(asAttacker.status).toBe(401);
  });
});

describe('revoking sessions', () => {
  it('ends the user’s other sessions at once on this replica', async () => {
    const laptop = await signedUpClient(api.url);
    const phone = new Client(api.url);
    expect((await phone.signIn(laptop.email)).status).toBe(200);
    expect((await phone.listTasks()).status).toBe(200); // remembered by this replica
    expect((await laptop.request('POST', '/api/auth/revoke-other-sessions', { body: {} })).status).toBe(200);
    expect((await phone.listTasks()).status).toBe(401);
    expect((await laptop.listTasks()).status).toBe(200);
  });
});

describe('sessions across replicas', () => {
  /** Two replicas of one API: one database, one Redis, one key prefix. */
  async function replicas(env: Record<string, string>, redisUrl?: string) {
    const shared = { REDIS_KEY_PREFIX: `replicas-${randomUUID()}:`, ...env };
    const a = await startApi({ env: shared, ...(redisUrl ? { redisUrl } : {}) });
    const b = await startApi({ env: shared, databaseUrl: a.databaseUrl, ...(redisUrl ? { redisUrl } : {}) });
    const onA = await signedUpClient(a.url);
    const onB = new Client(b.url);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    return { a, b, onA, onB };
  }
  /** How long until `client`'s requests answer 401, polling. */
  async function refusedAfter(client: Client, limitMs: number): Promise<number> {
    const from = Date.now();
    while (Date.now() - from < limitMs) {
      if ((await client.listTasks()).status === 401) return Date.now() - from;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Number.POSITIVE_INFINITY;
  }

  it('a sign-out through one replica ends the session on the others at once, however long they trust a session', async () => {
    const { a, b, onA, onB } = await replicas({ SESSION_CACHE_SYNCED_SECONDS: '600' });
    await using _a = a;
    await using _b = b;
    expect((await onB.listTasks()).status).toBe(200); // B now trusts the session, for ten minutes
    expect((await onA.signOut()).status).toBe(200);
    expect((await onA.listTasks()).status).toBe(401); // at once on the replica that signed out
    expect(await refusedAfter(onB, 2_000)).toBeLessThan(300); // and, told through Redis, on B
  });

  it('while Redis is silent (hung), a replica goes back to trusting a session for SESSION_CACHE_SECONDS only', async () => {
    await using redis = await new GenericContainer(baseImages().REDIS_IMAGE)
      .withExposedPorts(6379)
      .withLabels(ownerLabels())
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    const redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
    const { a, b, onA, onB } = await replicas(
      { SESSION_CACHE_SYNCED_SECONDS: '600', SESSION_CACHE_SECONDS: '2' },
      redisUrl,
    );
    await using _a = a;
    await using _b = b;
    expect((await onB.listTasks()).status).toBe(200); // trusted for ten minutes while Redis answers

    await docker('pause', redis.getId());
    try {
      // Heartbeats stop: after a few silent seconds B goes back to checking every 2 s.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect((await onA.signOut()).status).toBe(200); // its news cannot travel now
      expect(await refusedAfter(onB, 4_000)).toBeLessThan(2_500);
    } finally {
      await docker('unpause', redis.getId());
    }
  });
});

describe('rate limits', () => {
  it('refuses sign-in for an account after repeated failures, whatever the password', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_SIGNIN_FAILURES_MAX: '3', RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: '60' },
    });
    const victim = await signedUpClient(limited.url);
    const attacker = new Client(limited.url);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await attacker.signIn(victim.email, `guess-${i}-xxxx`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const locked = await attacker.signIn(victim.email, password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('locks the guessing address out of the account, not the owner signing in from elsewhere', async () => {
    await using limited = await startApi({
      env: {
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_SIGNIN_FAILURES_MAX: '3',
        RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: '60',
      },
    });
    const victim = await signedUpClient(limited.url);
    const signInFrom = (address: string, pass: string) =>
      new Client(limited.url).request('POST', '/api/auth/sign-in/email', {
        body: { email: victim.email, password: pass },
        headers: { 'x-forwarded-for': address },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signInFrom('203.0.113.7', `guess-${i}-xxxx`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const locked = await signInFrom('203.0.113.7', password);
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/from this address/);
    expect(Number(locked.headers.get('retry-after'))).toBe(60);

    expect((await signInFrom('198.51.100.20', password)).status).toBe(200);
    // One IPv6 host has a /64 to choose from: all of it counts as one address.
    for (let i = 0; i < 3; i++) await signInFrom(`2001:db8:1:2::${i + 1}`, `guess-v6-${i}`);
    expect((await signInFrom('2001:db8:1:2:ffff::9', password)).status).toBe(429);
    expect((await signInFrom('2001:db8:1:3::1', password)).status).toBe(200);
  });

  it('locks a pair again for twice as long each time its lock runs out and the guessing goes on', async () => {
    await using limited = await startApi({
      env: {
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_SIGNIN_FAILURES_MAX: '2',
        RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: '1',
      },
    });
    const victim = await signedUpClient(limited.url);
    const guess = (i: number) =>
      new Client(limited.url).request('POST', '/api/auth/sign-in/email', {
        body: { email: victim.email, password: `guess-${i}-xxxx` },
        headers: { 'x-forwarded-for': '203.0.113.8' },
      });
    const retryAfters = [];
    for (let round = 0; round < 2; round++) {
      expect([(await guess(1)).status, (await guess(2)).status]).toEqual([401, 401]);
      const refused = await guess(3);
      expect(refused.status).toBe(429);
      const seconds = Number(refused.headers.get('retry-after'));
      retryAfters.push(seconds);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));
    }
    expect(retryAfters).toEqual([1, 2]);
    // The right password from that address, once the lock is over, starts the pair afresh.
    expect((await victim.signIn()).status).toBe(200);
  });

  it('refuses sign-ins from an address that failed too often across accounts, and only from there', async () => {
    await using limited = await startApi({
      env: { TRUST_PROXY: 'loopback', RATE_LIMIT_SIGNIN_ADDRESS_FAILURES_MAX: '4' },
    });
    const accounts = await Promise.all(Array.from({ length: 5 }, () => signedUpClient(limited.url)));
    const signInFrom = (address: string, email: string, pass: string) =>
      new Client(limited.url).request('POST', '/api/auth/sign-in/email', {
        body: { email, password: pass },
        headers: { 'x-forwarded-for': address },
      });
    const statuses = [];
    for (const account of accounts)
      statuses.push((await signInFrom('192.0.2.50', account.email, 'stuffed-xxxx')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const refused = await signInFrom('192.0.2.50', accounts[4]!.email, password);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/from this address/);
    expect((await signInFrom('192.0.2.51', accounts[4]!.email, password)).status).toBe(200);
  });

  it('past the account-wide backstop, lets only devices that signed in before try, so the owner still gets in', async () => {
    await using limited = await startApi({
      env: { TRUST_PROXY: 'loopback', RATE_LIMIT_SIGNIN_ACCOUNT_FAILURES_MAX: '4' },
    });
    const owner = await signedUpClient(limited.url);
    const signInFrom = (client: Client, address: string, pass: string) =>
      client.request('POST', '/api/auth/sign-in/email', {
        body: { email: owner.email, password: pass },
        headers: { 'x-forwarded-for': address },
      });
    expect((await signInFrom(owner, '198.51.100.5', password)).status).toBe(200);
    expect([...owner.cookies.keys()]).toContain('todo.device');

    // Guessing spread over many addresses (or made-up ones): each stays under its own limits.
    const statuses = [];
    for (let i = 1; i <= 4; i++)
      statuses.push((await signInFrom(new Client(limited.url), `203.0.113.${i}`, `spread-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const newDevice = await signInFrom(new Client(limited.url), '203.0.113.5', password);
    expect(newDevice.status).toBe(429);
    expect(newDevice.body.message).toMatch(/device you used before/);
    const forged = new Client(limited.url);
    forged.cookies.set('todo.device', 'made-up.value');
    expect((await signInFrom(forged, '203.0.113.6', password)).status).toBe(429);

    expect((await signInFrom(owner, '192.0.2.77', password)).status).toBe(200);
  });

  it('takes the client address TRUST_PROXY hops back, so a client cannot claim another by adding entries', async () => {
    await using behindTwo = await startApi({ env: { TRUST_PROXY: '2' } });
    const addressSeen = async (forwardedFor?: string) => {
      const client = new Client(behindTwo.url);
      const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
      const email = `hops-${randomUUID()}@example.com`;
      await client.request('POST', '/api/auth/sign-up/email', {
        body: { email, password, name: 'Hops' },
        headers,
      });
      const session = await client.request('GET', '/api/auth/get-session', { headers });
      return (session.body as { session: { ipAddress: string } }).session.ipAddress;
    };
    // A CDN, then the platform's router: "client, cdn" arrives from the router.
    expect(await addressSeen('198.51.100.1, 203.0.113.9')).toBe('198.51.100.1');
    expect(await addressSeen('6.6.6.6, 198.51.100.1, 203.0.113.9')).toBe('198.51.100.1');
    // Fewer hops than configured: the farthest one there is.
    expect(await addressSeen()).toBe('127.0.0.1');
  });

  it('refuses a burst of concurrent guesses beyond the limit, not only sequential ones', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_SIGNIN_FAILURES_MAX: '3', RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: '60' },
    });
    const victim = await signedUpClient(limited.url);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => new Client(limited.url).signIn(victim.email, `burst-guess-${i}`)),
    );
    expect(statuses.filter((r) => r.status === 401)).toHaveLength(3);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('counts a failed sign-in however its body is encoded (a BOM-prefixed body is still counted)', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_SIGNIN_FAILURES_MAX: '2', RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: '60' },
    });
    const victim = await signedUpClient(limited.url);
    const attacker = new Client(limited.url);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const raw = `\uFEFF${JSON.stringify({ email: victim.email.toUpperCase(), password: `guess-${i}-xxxx` })}`;
      const reply = await attacker.request('POST', '/api/auth/sign-in/email', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('limits sign-up and sign-in attempts per address (configurable per environment)', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_AUTH_MAX: '2', RATE_LIMIT_AUTH_WINDOW_SECONDS: '60' },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await new Client(limited.url).signUp()).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('counts sign-in failures in Redis, shared by the replicas: guesses spread over two are still limited', async () => {
    const shared = {
      RATE_LIMIT_SIGNIN_FAILURES_MAX: '3',
      REDIS_KEY_PREFIX: `signin-${randomUUID()}:`,
    };
    await using replicaA = await startApi({ env: shared });
    await using replicaB = await startApi({ env: shared, databaseUrl: replicaA.databaseUrl });
    const victim = await signedUpClient(replicaA.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const replica = i % 2 === 0 ? replicaA : replicaB;
      statuses.push((await new Client(replica.url).signIn(victim.email, `guess-${i}-xxxx`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    // Counted where every replica sees it, not in a replica's memory (its fallback while Redis is down).
    for (const replica of [replicaA, replicaB])
      expect(replica.logs.text()).not.toMatch(/falling back to memory/);
  });

  it('shares the per-user API limit across replicas, each learning the others’ hits within a flush (100 ms)', async () => {
    const shared = {
      RATE_LIMIT_API_MAX: '10',
      RATE_LIMIT_API_WINDOW_SECONDS: '86400',
      REDIS_KEY_PREFIX: `limits-${Date.now()}:`,
    };
    await using replicaA = await startApi({ env: shared });
    await using replicaB = await startApi({ env: shared, databaseUrl: replicaA.databaseUrl });
    const onA = await signedUpClient(replicaA.url);
    const onB = new Client(replicaB.url);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const flush = () => new Promise((resolve) => setTimeout(resolve, 300));
    const statuses = async (client: Client, n: number) => {
      const result: number[] = [];
      for (let i = 0; i < n; i++) result.push((await client.listTasks()).status);
      return result;
    };

    expect(await statuses(onA, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    await flush();
    expect(await statuses(onB, 4)).toEqual([200, 200, 200, 200]);
    await flush();
    // B has learnt A's six: the user's eleventh request is refused.
    expect(await statuses(onB, 1)).toEqual([429]);
    // A learns B's four with its next flush, at the latest.
    await statuses(onA, 1);
    await flush();
    expect(await statuses(onA, 1)).toEqual([429]);
  });

  it('limits API requests per user', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_API_MAX: '3', RATE_LIMIT_API_WINDOW_SECONDS: '60' },
    });
    const client = await signedUpClient(limited.url);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.listTasks()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await signedUpClient(limited.url);
    expect((await other.listTasks()).status).toBe(200);
  });

  it('counts sign-up, sign-in and sign-out against the auth limit only, not the API limit', async () => {
    await using limited = await startApi({
      env: { RATE_LIMIT_API_MAX: '2', RATE_LIMIT_API_WINDOW_SECONDS: '60', RATE_LIMIT_AUTH_MAX: '100' },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const client = new Client(limited.url);
      const email = `limits-${i}-${Date.now()}@example.com`;
      statuses.push((await client.signUp(email)).status);
      statuses.push((await client.signOut()).status);
      statuses.push((await client.signIn(email)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200]);
  });
});
