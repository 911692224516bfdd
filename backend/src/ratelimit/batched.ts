import type { RedisConnection } from '../redis/index.ts';
import type { WindowCount } from './limiter.ts';

interface Entry {
  /** Total across replicas as of this replica's last flush (own flushed hits included). */
  shared: number;
  /** Own hits not yet sent to Redis. */
  pending: number;
  /** Own hits sent, awaiting Redis's answer. */
  inFlight: number;
  windowEnd: number;
}

/**
 * Shared fixed-window counters for high-volume limits (the per-user API limit).
 * Hits count in this process at once and reach Redis in one INCRBY per key
 * every `flushMs`, whose answer is the total across replicas. So a replica's
 * own hits are always counted exactly, while other replicas' hits arrive up to
 * one flush late: the limit may let through about `flushMs` of the others'
 * traffic. Redis sees one command per active key per flush instead of one per
 * request. Exact counting (RateLimiter) stays for the auth limits.
 * When Redis is down the counts simply stay local.
 */
export class BatchedCounter {
  private readonly entries = new Map<string, Entry>();
  private readonly redis: RedisConnection | undefined;
  private readonly prefix: string;
  private readonly flushMs: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(redis: RedisConnection | undefined, prefix: string, flushMs = 100) {
    this.redis = redis;
    this.prefix = prefix;
    this.flushMs = flushMs;
  }

  hit(key: string, windowMs: number, now = Date.now()): WindowCount {
    // Windows are aligned to the epoch, so every replica agrees on where one ends.
    const window = Math.floor(now / windowMs);
    const windowEnd = (window + 1) * windowMs;
    const id = `${key}:${window}`;
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { shared: 0, pending: 0, inFlight: 0, windowEnd };
      this.entries.set(id, entry);
    }
    entry.pending += 1;
    this.schedule();
    return { count: entry.shared + entry.inFlight + entry.pending, ttlMs: windowEnd - now };
  }

  /** One flush every `flushMs` while hits keep coming; it also drops ended windows (with or without Redis). */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().finally(() => {
        if (this.hasPending()) this.schedule();
      });
    }, this.flushMs);
    this.timer.unref();
  }

  private hasPending(): boolean {
    for (const entry of this.entries.values()) if (entry.pending > 0) return true;
    return false;
  }

  /** Sends pending hits to Redis and learns the totals. Resolves when done (tests, shutdown). */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const now = Date.now();
    const batch: [string, Entry, number][] = [];
    for (const [id, entry] of this.entries) {
      if (entry.windowEnd <= now) this.entries.delete(id);
      else if (entry.pending > 0) {
        batch.push([id, entry, entry.pending]);
        entry.inFlight += entry.pending;
        entry.pending = 0;
      }
    }
    if (batch.length === 0 || !this.redis) return;
    const totals = await this.redis.attempt(
      async (client) => {
        const pipeline = client.pipeline();
        for (const [id, entry, sent] of batch) {
          pipeline.incrby(this.prefix + id, sent).pexpire(this.prefix + id, entry.windowEnd - now + 1_000);
        }
        const results = (await pipeline.exec()) ?? [];
        return batch.map((_, index) => {
          const [error, total] = results[index * 2] ?? [new Error('no reply'), 0];
          if (error) throw error;
          return Number(total);
        });
      },
      () => undefined,
    );
    batch.forEach(([, entry, sent], index) => {
      entry.inFlight -= sent;
      // Without Redis the hits stay counted here, as a local limit.
      entry.shared = totals ? Math.max(entry.shared + sent, totals[index] ?? 0) : entry.shared + sent;
    });
  }
}
