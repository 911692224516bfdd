/** What the memo needs to know of a remembered session. */
export interface Remembered {
  userId: string;
  /** better-auth's session token (the part of the cookie before its signature). */
  sessionToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Verified sessions remembered for a few seconds in this process, so a signed-in
 * request skips the cookie signature check and the session lookup. Keys are
 * whole signed cookie values: only a cookie better-auth verified is ever a key.
 * Deleting a session through this replica (sign-out, revocation) forgets it at
 * once; a session deleted through another replica stays valid here for at most
 * `ttlMs`. Unknown or invalid cookies are never remembered.
 */
export class SessionMemo<T extends Remembered> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private forgets = 0;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
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
    if (this.ttlMs <= 0 || generation !== this.forgets) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: Math.min(now + this.ttlMs, value.expiresAt) });
  }

  forgetSession(sessionToken: string): void {
    this.forgetWhere((value) => value.sessionToken === sessionToken);
  }

  forgetUser(userId: string): void {
    this.forgetWhere((value) => value.userId === userId);
  }

  private forgetWhere(matches: (value: T) => boolean): void {
    this.forgets += 1;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }
}
