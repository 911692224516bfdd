import { describe, expect, it } from 'vitest';
import { hashArgon2id, isArgon2idHash, isBelowOwasp, passwordHashing, verifyArgon2id } from './argon2id.ts';
import { cpuLimit } from './cpu.ts';
import { HashQueue } from './queue.ts';

describe('argon2id hashes', () => {
  it('verify the password they were made from and nothing else, NFKC-normalised', async () => {
    const hash = await hashArgon2id('ﬁne password'); // U+FB01, NFKC "fi"
    expect(isArgon2idHash(hash)).toBe(true);
    expect(await verifyArgon2id(hash, 'fine password')).toBe(true);
    expect(await verifyArgon2id(hash, 'fine passwords')).toBe(false);
  });

  it('keep their own parameters, so stronger settings later still read older hashes', async () => {
    const light = await hashArgon2id('pw', { memory: 8_192, passes: 1, parallelism: 1 });
    expect(light).toContain('$m=8192,t=1,p=1$');
    expect(await verifyArgon2id(light, 'pw')).toBe(true);
  });

  it('are written at one of OWASP’s settings, and re-hashed only when below all of them', async () => {
    expect(passwordHashing).toEqual({ memory: 12_288, passes: 3, parallelism: 1 });
    expect(await hashArgon2id('pw')).toContain('$m=12288,t=3,p=1$');
    const at = (m: number, t: number) =>
      `$argon2id$v=19$m=${m},t=${t},p=1$AAAAAAAAAAAAAAAAAAAAAA$${'B'.repeat(43)}`;
    // OWASP's five equivalent settings, and stronger ones, stay; weaker ones are upgraded.
    for (const [m, t] of [
      [47_104, 1],
      [19_456, 2],
      [12_288, 3],
      [9_216, 4],
      [7_168, 5],
      [65_536, 3],
    ] as const)
      expect(isBelowOwasp(at(m, t)), `m=${m} t=${t}`).toBe(false);
    for (const [m, t] of [
      [19_456, 1],
      [8_192, 1],
      [7_168, 4],
      [4_096, 5],
    ] as const)
      expect(isBelowOwasp(at(m, t)), `m=${m} t=${t}`).toBe(true);
    expect(isBelowOwasp('00ff:aa')).toBe(true);
  });

  it('match no password when malformed', async () => {
    expect(await verifyArgon2id('$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB', 'pw')).toBe(false);
    expect(await verifyArgon2id('not a hash', 'pw')).toBe(false);
    expect(isArgon2idHash('00ff:aa')).toBe(false);
  });
});

describe('the hashing queue', () => {
  it('runs at most its limit at once and every task in turn', async () => {
    const queue = new HashQueue(2);
    let running = 0;
    let peak = 0;
    const work = async (n: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.run(() => work(n))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that failed', async () => {
    const queue = new HashQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
  });
});

describe('the CPU limit', () => {
  const files = (entries: Record<string, string>) => (path: string) => {
    const text = entries[path];
    if (text === undefined) throw new Error(`ENOENT ${path}`);
    return text;
  };

  it('reads the container’s quota (cgroup v2 and v1), rounded up', () => {
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' }))).toBe(1);
    expect(
      cpuLimit(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '150000',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
        }),
      ),
    ).toBeLessThanOrEqual(2);
  });

  it('is the cores it sees without a limit', () => {
    const cores = cpuLimit(files({}));
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' }))).toBe(cores);
  });
});
