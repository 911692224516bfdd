/**
 * Verified sessions remembered for a few seconds in this process, so a signed-in
 * request skips the cookie signature check and the session lookup.
 * Any auth write on this replica (sign-out, revoke, password change) forgets
 * the caller's entries at once; a session revoked through another replica stays
 * valid here for at most `ttlMs`. Unknown or invalid tokens are never remembered.
 */
export class SessionMemo<T extends { userId: string; expiresAt: number }> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get(token: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  remember(token: string, value: T, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { value, until: Math.min(now + this.ttlMs, value.expiresAt) });
  }

  /** Forgets this token and every other session of the same user. */
  forget(token: string): void {
    const userId = this.entries.get(token)?.value.userId;
    this.entries.delete(token);
    if (userId === undefined) return;
    for (const [key, entry] of this.entries) if (entry.value.userId === userId) this.entries.delete(key);
  }
}
