// Redis hangs for 30 s (frozen: connections stay open, nothing answers), its
// data intact afterwards. Redis is a cache and a counter here: sessions are read
// from Postgres meanwhile, limits are counted in each replica's memory, nobody
// is signed out, and a sign-out made meanwhile still holds once Redis (with
// the old session still cached in it) answers again.
import { pauseContainer, unpauseContainer } from '../../docker/index.ts';
import { secondsBetween, type Drill, type DrillCheck } from '../drill.ts';
import { describeSamples, recoveryDeadline, statusesOf } from './support.ts';

const outageMs = 30_000;
/** A session signed out through one replica is forgotten by the other within SESSION_CACHE_SECONDS (5). */
const memoMs = 6_000;

export const redisOutage: Drill = {
  name: 'redis_outage',
  title: 'Redis hangs for 30 s',
  proves:
    'Redis is optional: requests keep succeeding, nobody is signed out, sign-in guessing is still limited, and a sign-out during the outage holds after Redis returns with the old session in it',
  slotMs: outageMs + 20_000,
  thresholds: ['drill_recovery{drill:redis_outage}=max<5', 'drill_failed{drill:redis_outage}=count==0'],
  async run({ stack, probe, signUp, anonymous, until, output }, slot) {
    const redis = stack.containerId('redis');
    // Bob's session is cached in Redis before the outage: requests through both replicas.
    const bob = await signUp('redis-bob');
    await statusesOf(bob, 4);
    const guessed = await signUp('redis-guessed');
    const injectedAt = Date.now();
    await pauseContainer(redis);
    output('Redis paused');
    const checks: DrillCheck[] = [];
    try {
      await until(injectedAt + 3_000);
      const signOut = await bob.request('POST', '/api/auth/sign-out', {});
      checks.push({
        name: 'a sign-out during the outage succeeds',
        ok: signOut.status === 200,
        detail: `answered ${signOut.status}${signOut.code ? ` ${signOut.code}` : ''}`,
      });
      await until(Date.now() + memoMs);
      const refused = await statusesOf(bob, 4);
      checks.push({
        name: 'the signed-out session is refused during the outage',
        ok: refused.every((status) => status === 401),
        detail: `answers: ${refused.join(', ')}`,
      });
      // Wrong passwords for one account from one address: each replica counts in its own memory.
      const attempts: number[] = [];
      for (let i = 0; i < 12 && !attempts.includes(429); i++) {
        const answer = await anonymous('POST', '/api/auth/sign-in/email', {
          email: guessed.email,
          password: 'not the password',
        });
        attempts.push(answer.status);
      }
      checks.push({
        name: 'sign-in guessing is still limited (each replica counts in memory)',
        ok: attempts.includes(429),
        detail: `answers: ${attempts.join(', ')}`,
      });
      await until(injectedAt + outageMs);
    } finally {
      await unpauseContainer(redis);
    }
    const clearedAt = Date.now();
    output('Redis answers again');
    const ok = await probe.firstOkAfter(clearedAt, recoveryDeadline(clearedAt, slot.end));
    const recoveredAt = ok?.at ?? null;
    const during = probe.between(injectedAt, clearedAt);
    checks.unshift(
      {
        name: 'nobody was signed out: no 401 while Redis was away',
        ok: during.every((sample) => sample.status !== 401),
        detail: describeSamples(during),
      },
      {
        name: 'requests kept succeeding while Redis was away',
        ok: during.every((sample) => sample.status >= 200 && sample.status < 300),
        detail: describeSamples(during),
      },
    );
    await until(clearedAt + memoMs);
    const afterwards = await statusesOf(bob, 4);
    checks.push({
      name: 'the sign-out still holds after Redis returns (its stale cached session is not trusted)',
      ok: afterwards.every((status) => status === 401),
      detail: `answers: ${afterwards.join(', ')}`,
    });
    return {
      episodes: [
        {
          injectedAt,
          clearedAt,
          recoveredAt,
          recoverySeconds: recoveredAt === null ? null : secondsBetween(clearedAt, recoveredAt),
        },
      ],
      checks,
      restarts: {},
    };
  },
};
