import { describe, expect, it } from 'vitest';
import { SessionMemo } from './session-memo.ts';

const session = (userId: string, sessionToken = `${userId}-token`, expiresAt = Number.MAX_SAFE_INTEGER) => ({
  userId,
  sessionToken,
  expiresAt,
});

describe('SessionMemo', () => {
  it('remembers a session for the TTL, and never past the session’s own expiry', () => {
    const memo = new SessionMemo(5_000);
    memo.remember('a', session('u1'), memo.generation(), 0);
    expect(memo.get('a', 4_999)).toEqual(session('u1'));
    expect(memo.get('a', 5_000)).toBeUndefined();
    memo.remember('b', session('u1', 't', 1_000), memo.generation(), 0);
    expect(memo.get('b', 1_000)).toBeUndefined();
  });

  it('trusts a session for long only while deletions elsewhere are sure to reach it, and forgets one it hears of', () => {
    let coveredSince: number | undefined = 0;
    const memo = new SessionMemo(
      { shortMs: 5_000, longMs: 60_000, coveredSince: () => coveredSince },
      10,
      (token) => `digest-of-${token}`,
    );
    memo.remember('a', session('u1', 'ta'), memo.generation(), 1_000);
    expect(memo.get('a', 30_000)).toEqual(session('u1', 'ta'));
    // The channel fell silent and came back at 40 s: news between 1 s and 40 s may be lost.
    coveredSince = 40_000;
    expect(memo.get('a', 45_000)).toBeUndefined();
    memo.remember('b', session('u2', 'tb'), memo.generation(), 41_000);
    expect(memo.get('b', 90_000)).toEqual(session('u2', 'tb'));
    coveredSince = undefined; // silent now
    expect(memo.get('b', 90_001)).toBeUndefined();
    coveredSince = 41_000;
    memo.remember('c', session('u3', 'tc'), memo.generation(), 42_000);
    memo.forgetDigest('digest-of-tc');
    expect(memo.get('c', 42_001)).toBeUndefined();
  });

  it('forgets a deleted session, and every session of a user', () => {
    const memo = new SessionMemo(5_000);
    memo.remember('a', session('u1', 'ta'), memo.generation(), 0);
    memo.remember('b', session('u1', 'tb'), memo.generation(), 0);
    memo.remember('c', session('u2', 'tc'), memo.generation(), 0);
    memo.forgetSession('ta');
    expect([memo.get('a', 1), memo.get('b', 1)]).toEqual([undefined, session('u1', 'tb')]);
    memo.forgetUser('u1');
    expect([memo.get('b', 1), memo.get('c', 1)]).toEqual([undefined, session('u2', 'tc')]);
  });

  it('ignores the answer of a lookup that began before a session was forgotten', () => {
    const memo = new SessionMemo(5_000);
    const lookupBegan = memo.generation();
    memo.forgetSession('ta'); // e.g. a sign-out finished while the lookup was in flight
    memo.remember('a', session('u1', 'ta'), lookupBegan, 0);
    expect(memo.get('a', 1)).toBeUndefined();
  });

  it('remembers nothing with a TTL of 0 and stays within its size bound', () => {
    const off = new SessionMemo(0);
    off.remember('a', session('u1'), off.generation(), 0);
    expect(off.get('a', 0)).toBeUndefined();
    const small = new SessionMemo(5_000, 2);
    for (const [key, user] of [
      ['a', 'u1'],
      ['b', 'u2'],
      ['c', 'u3'],
    ] as const) {
      small.remember(key, session(user), small.generation(), 0);
    }
    expect([small.get('a', 1), small.get('b', 1), small.get('c', 1)]).toEqual([
      undefined,
      session('u2'),
      session('u3'),
    ]);
  });
});
