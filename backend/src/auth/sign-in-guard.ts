// Password guessing is stopped per (account, address) and per address: a
// stranger who guesses wrong only shuts out their own address, and the owner
// signs in from theirs as usual. For the account as a whole there is only a high
// backstop, against guessing spread over many addresses (or addresses a client
// made up, where X-Forwarded-For is trusted two hops back): past it, only
// devices that signed in to the account before (a signed device cookie) may
// try, as OWASP's device cookies do, so even then the owner is not shut out.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Result } from 'ioredis';
import { Counter, type Metric } from 'prom-client';
import type { RedisConnection } from '../redis/index.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    signInAdmit(
      pair: string,
      lock: string,
      strikes: string,
      address: string,
      account: string,
      max: number,
      windowMs: number,
      maxLockMs: number,
      addressMax: number,
      accountMax: number,
      knownDevice: number,
    ): Result<[number, number], Context>;
  }
}

export interface SignInGuardOptions {
  /** Failed sign-ins allowed per (account, address) in `windowMs` before it is locked. */
  max: number;
  windowMs: number;
  /** Failed sign-ins allowed per address, over all accounts, in `windowMs`. */
  addressMax: number;
  /** Failed sign-ins per account, over all addresses, past which only known devices may try. */
  accountMax: number;
  /** The longest lock; each lock of the same pair doubles, from windowMs up to this. */
  maxLockMs?: number;
}

export type Admission =
  | { admitted: true }
  | { admitted: false; retryAfterMs: number; scope: 'account-address' | 'address' | 'account' };

// The attempt counts before it is made (one atomic script), so concurrent
// guesses cannot all slip under the limit. Past the limit the pair is locked
// for windowMs × 2^(strikes − 1), at most maxLockMs: backoff, not a hard lock.
// Strikes are forgotten maxLockMs after the last lock.
const admitScript = `
local lockTtl = redis.call('PTTL', KEYS[2])
if lockTtl > 0 then return {1, lockTtl} end
local function over(key, max)
  if tonumber(redis.call('GET', key) or '0') < tonumber(max) then return false end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = tonumber(ARGV[2]) end
  return ttl
end
local addressTtl = over(KEYS[4], ARGV[4])
if addressTtl then return {2, addressTtl} end
if ARGV[6] ~= '1' then
  local accountTtl = over(KEYS[5], ARGV[5])
  if accountTtl then return {3, accountTtl} end
end
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count <= tonumber(ARGV[1]) then return {0, 0} end
local strikes = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
local lockMs = math.min(tonumber(ARGV[2]) * 2 ^ (strikes - 1), tonumber(ARGV[3]))
redis.call('SET', KEYS[2], '1', 'PX', math.floor(lockMs))
redis.call('DEL', KEYS[1])
return {1, math.floor(lockMs)}`;

const day = 24 * 60 * 60 * 1000;
const maxMemoryKeys = 50_000;

/** The address a limit applies to: IPv4 as is, IPv6 by its /64 (one host's or one network's addresses). */
export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Emails stay out of Redis keys (and device cookies): a digest of the address as better-auth looks it up. */
export const accountKey = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22);

interface Keys {
  pair: string;
  lock: string;
  strikes: string;
  address: string;
  account: string;
}

const scopes = { 1: 'account-address', 2: 'address', 3: 'account' } as const;

export class SignInGuard {
  readonly #redis: RedisConnection | undefined;
  readonly #prefix: string;
  readonly #options: Required<SignInGuardOptions>;
  // Used while Redis is down: the same rules, per replica, until it returns.
  readonly #memory = new Map<string, { value: number; expiresAt: number }>();
  readonly #refusals = new Counter({
    name: 'sign_in_refusals_total',
    help: 'Sign-ins refused before the password was checked, by the limit that refused them',
    labelNames: ['scope'] as const,
    registers: [],
  });

  constructor(redis: RedisConnection | undefined, prefix: string, options: SignInGuardOptions) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#options = { maxLockMs: day, ...options };
    redis?.client.defineCommand('signInAdmit', { numberOfKeys: 5, lua: admitScript });
  }

  get metrics(): Metric[] {
    return [this.#refusals];
  }

  /**
   * Counts the attempt and says whether it may go on to the password check.
   * `knownDevice`: the request carries this account's device cookie.
   */
  async admit(email: string, address: string, knownDevice = false): Promise<Admission> {
    const keys = this.#keys(email, address);
    const { max, windowMs, maxLockMs, addressMax, accountMax } = this.#options;
    const [verdict, ttlMs] = this.#redis
      ? await this.#redis.attempt(
          (c) =>
            c.signInAdmit(
              keys.pair,
              keys.lock,
              keys.strikes,
              keys.address,
              keys.account,
              max,
              windowMs,
              maxLockMs,
              addressMax,
              accountMax,
              knownDevice ? 1 : 0,
            ),
          () => this.#admitInMemory(keys, knownDevice),
        )
      : this.#admitInMemory(keys, knownDevice);
    if (verdict === 0) return { admitted: true };
    const scope = scopes[verdict as 1 | 2 | 3];
    this.#refusals.inc({ scope });
    return { admitted: false, retryAfterMs: ttlMs, scope };
  }

  /** A wrong password: one more failure against the address and the account. */
  async failed(email: string, address: string): Promise<void> {
    const { address: byAddress, account } = this.#keys(email, address);
    const windowMs = this.#options.windowMs;
    const inMemory = () => {
      this.#incrementInMemory(byAddress, windowMs);
      this.#incrementInMemory(account, windowMs);
    };
    if (this.#redis)
      await this.#redis.attempt(async (c) => {
        await c
          .multi()
          .incr(byAddress)
          .pexpire(byAddress, windowMs, 'NX')
          .incr(account)
          .pexpire(account, windowMs, 'NX')
          .exec();
      }, inMemory);
    else inMemory();
  }

  /** The right password: this pair starts afresh (failures, strikes). */
  async succeeded(email: string, address: string): Promise<void> {
    const { pair, lock, strikes } = this.#keys(email, address);
    for (const key of [pair, lock, strikes]) this.#memory.delete(key);
    if (this.#redis)
      await this.#redis.attempt(
        (c) => c.del(pair, lock, strikes),
        () => 0,
      );
  }

  #keys(email: string, address: string): Keys {
    const account = accountKey(email);
    const from = addressKey(address);
    return {
      pair: `${this.#prefix}pair:${account}:${from}`,
      lock: `${this.#prefix}lock:${account}:${from}`,
      strikes: `${this.#prefix}strikes:${account}:${from}`,
      address: `${this.#prefix}address:${from}`,
      account: `${this.#prefix}account:${account}`,
    };
  }

  #admitInMemory(keys: Keys, knownDevice: boolean): [number, number] {
    const now = Date.now();
    const { max, windowMs, maxLockMs, addressMax, accountMax } = this.#options;
    const live = (key: string) => {
      const entry = this.#memory.get(key);
      if (entry && entry.expiresAt <= now) this.#memory.delete(key);
      return entry && entry.expiresAt > now ? entry : undefined;
    };
    const lock = live(keys.lock);
    if (lock) return [1, lock.expiresAt - now];
    const address = live(keys.address);
    if (address && address.value >= addressMax) return [2, address.expiresAt - now];
    const account = knownDevice ? undefined : live(keys.account);
    if (account && account.value >= accountMax) return [3, account.expiresAt - now];
    const count = this.#incrementInMemory(keys.pair, windowMs);
    if (count <= max) return [0, 0];
    const strikes = (live(keys.strikes)?.value ?? 0) + 1;
    this.#set(keys.strikes, strikes, maxLockMs);
    const lockMs = Math.min(windowMs * 2 ** (strikes - 1), maxLockMs);
    this.#set(keys.lock, 1, lockMs);
    this.#memory.delete(keys.pair);
    return [1, lockMs];
  }

  #incrementInMemory(key: string, windowMs: number): number {
    const now = Date.now();
    const entry = this.#memory.get(key);
    if (entry && entry.expiresAt > now) return ++entry.value;
    this.#set(key, 1, windowMs);
    return 1;
  }

  #set(key: string, value: number, ttlMs: number): void {
    if (!this.#memory.has(key) && this.#memory.size >= maxMemoryKeys) {
      const now = Date.now();
      for (const [k, e] of this.#memory) if (e.expiresAt <= now) this.#memory.delete(k);
      for (const k of this.#memory.keys()) {
        if (this.#memory.size < maxMemoryKeys) break;
        this.#memory.delete(k);
      }
    }
    this.#memory.set(key, { value, expiresAt: Date.now() + ttlMs });
  }
}
