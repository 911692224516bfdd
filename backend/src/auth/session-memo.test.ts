import { describe, expect, it } from 'vitest';
import { SessionMemo } from './session-memo.ts';

const session = (userId: string, expiresAt = Number.MAX_SAFE_INTEGER) => ({ userId, expiresAt });

describe('SessionMemo', () => {
  it('remembers a session for the TTL, and never past the session’s own expiry', () => {
    const memo = new SessionMemo(5_000);
    memo.remember('a', session('u1'), 0);
    expect(memo.get('a', 4_999)).toEqual(session('u1'));
    expect(memo.get('a', 5_000)).toBeUndefined();
    memo.remember('b', session('u1', 1_000), 0);
    expect(memo.get('b', 1_000)).toBeUndefined();
  });

  it('forgets every session of the user whose token is forgotten', () => {
    const memo = new SessionMemo(5_000);
    memo.remember('a', session('u1'), 0);
    memo.remember('b', session('u1'), 0);
    memo.remember('c', session('u2'), 0);
    memo.forget('a');
    expect([memo.get('a', 1), memo.get('b', 1), memo.get('c', 1)]).toEqual([
      undefined,
      undefined,
      session('u2'),
    ]);
  });

  it('remembers nothing with a TTL of 0 and stays within its size bound', () => {
    const off = new SessionMemo(0);
    off.remember('a', session('u1'), 0);
    expect(off.get('a', 0)).toBeUndefined();
    const small = new SessionMemo(5_000, 2);
    small.remember('a', session('u1'), 0);
    small.remember('b', session('u2'), 0);
    small.remember('c', session('u3'), 0);
    expect([small.get('a', 1), small.get('b', 1), small.get('c', 1)]).toEqual([
      undefined,
      session('u2'),
      session('u3'),
    ]);
  });
});
