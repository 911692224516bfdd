import { describe, expect, it } from 'vitest';
import { addressKey, SignInGuard } from './sign-in-guard.ts';

describe('addressKey', () => {
  it('keeps IPv4 as it is and groups IPv6 by its /64, however it is written', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('SignInGuard without Redis (per replica)', () => {
  it('applies the same rules: per pair, then per address, with the lock doubling', async () => {
    const guard = new SignInGuard(undefined, 't:', { max: 2, windowMs: 1_000, addressMax: 3, accountMax: 4 });
    const a = 'owner@example.com';
    expect(await guard.admit(a, '192.0.2.1')).toEqual({ admitted: true });
    await guard.failed(a, '192.0.2.1');
    expect(await guard.admit(a.toUpperCase(), '192.0.2.1')).toEqual({ admitted: true });
    await guard.failed(a, '192.0.2.1');
    expect(await guard.admit(a, '192.0.2.1')).toEqual({
      admitted: false,
      retryAfterMs: 1_000,
      scope: 'account-address',
    });
    expect(await guard.admit(a, '192.0.2.2')).toEqual({ admitted: true });

    await guard.failed('other@example.com', '192.0.2.1');
    expect(await guard.admit('third@example.com', '192.0.2.1')).toMatchObject({
      admitted: false,
      scope: 'address',
    });

    // Spread over addresses: past accountMax (4 failures), only a known device may try.
    const b = 'spread@example.com';
    for (let i = 10; i < 14; i++) {
      expect(await guard.admit(b, `192.0.2.${i}`)).toEqual({ admitted: true });
      await guard.failed(b, `192.0.2.${i}`);
    }
    expect(await guard.admit(b, '192.0.2.20')).toMatchObject({ admitted: false, scope: 'account' });
    expect(await guard.admit(b, '192.0.2.21', true)).toEqual({ admitted: true });

    await guard.succeeded(a, '192.0.2.1');
    expect(await guard.admit(a, '192.0.2.3')).toEqual({ admitted: true });
  });
});
