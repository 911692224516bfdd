/** What the memo needs to know of a remembered session. */
export interface Remembered {
  userId: string;
  /** better-auth's session token (the part of the cookie before its signature). */
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * How long a remembered session may be trusted when it was remembered at
 * `rememberedAt`: for long while every session deletion is sure to reach this
 * process (revocations.ts), for a few seconds otherwise.
 */
export interface MemoTrust {
  /** Without a way to hear of deletions made elsewhere (no Redis, or Redis silent). */
  shortMs: number;
  /** While deletions anywhere reach this process at once. */
  longMs: number;
  /** From when deletions anywhere have reached this process without a gap; undefined while they do not. */
  coveredSince: (now: number) => number | undefined;
}

/**
 * Verified sessions remembered in this process, so a signed-in request skips
 * the cookie signature check and the session lookup. Keys are whole signed
 * cookie values: only a cookie better-auth verified is ever a key. Deleting a
 * session (sign-out, revocation) forgets it at once here, and on the other
 * replicas as soon as they hear of it (forgetDigest); a remembered session is
 * trusted for `longMs` only while such news is sure to arrive, and for
 * `shortMs` otherwise. Unknown or invalid cookies are never remembered.
 */
export class SessionMemo<T extends Remembered> {
  private readonly entries = new Map<string, { value: T; rememberedAt: number; digest: string }>();
  private readonly trust: MemoTrust;
  private readonly maxEntries: number;
  private readonly digestOf: (sessionToken: string) => string;
  private forgets = 0;

  /** `trust`: a TTL in ms (the same however deletions travel), or how to decide it. */
  constructor(
    trust: number | MemoTrust,
    maxEntries = 10_000,
    digestOf: (sessionToken: string) => string = (token) => token,
  ) {
    this.trust =
      typeof trust === 'number' ? { shortMs: trust, longMs: trust, coveredSince: () => undefined } : trust;
    this.maxEntries = maxEntries;
    this.digestOf = digestOf;
  }

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const covered = this.trust.coveredSince(now);
    const ttl =
      covered !== undefined && covered <= entry.rememberedAt ? this.trust.longMs : this.trust.shortMs;
    if (entry.rememberedAt + ttl <= now || entry.value.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Take before a lookup; pass to remember(), which ignores the answer if a session was forgotten meanwhile. */
  generation(): number {
    return this.forgets;
  }

  remember(key: string, value: T, generation: number, now = Date.now()): void {
    if (this.trust.longMs <= 0 || generation !== this.forgets) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, rememberedAt: now, digest: this.digestOf(value.sessionToken) });
  }

  forgetSession(sessionToken: string): void {
    this.forgetWhere((value) => value.sessionToken === sessionToken);
  }

  /** Forgets the session whose token has this digest: a deletion heard from another replica. */
  forgetDigest(digest: string): void {
    this.forgets += 1;
    for (const [key, entry] of this.entries) if (entry.digest === digest) this.entries.delete(key);
  }

  forgetUser(userId: string): void {
    this.forgetWhere((value) => value.userId === userId);
  }

  private forgetWhere(matches: (value: T) => boolean): void {
    this.forgets += 1;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }
}
