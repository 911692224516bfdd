import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConnection } from '../redis/index.ts';

/** What travels on the channel for a revoked session: a digest, never the token itself. */
export const tokenDigest = (sessionToken: string): string =>
  createHash('sha256').update(sessionToken).digest('base64url');

const heartbeat = 'heartbeat';
const revoked = 'revoked:';

export interface RevocationOptions {
  channel: string;
  /** How often each replica says it is there (every replica hears every other, and itself). */
  heartbeatMs?: number;
  logger: Logger;
}

/**
 * Session deletions (sign-outs, revocations) told to every replica at once
 * over Redis pub/sub, so a replica may trust a session it verified for long
 * without a signed-out session outliving its sign-out on another replica.
 *
 * The channel counts as live only while messages arrive: each replica
 * publishes a heartbeat, and a Redis that hangs closes nothing and sends
 * nothing, so silence is what tells. `coveredSince` says from when every
 * revocation has reached this replica without a gap; a revocation that could
 * not be published is sent again once Redis answers.
 */
export class SessionRevocations {
  readonly #redis: RedisConnection;
  readonly #channel: string;
  readonly #heartbeatMs: number;
  readonly #logger: Logger;
  readonly #listeners: ((digest: string) => void)[] = [];
  readonly #unsent = new Set<string>();
  #subscriber: Redis | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** When the last message (anyone's) arrived; when the current unbroken spell of them began. */
  #lastHeard = 0;
  #since = 0;

  constructor(redis: RedisConnection, options: RevocationOptions) {
    this.#redis = redis;
    this.#channel = options.channel;
    this.#heartbeatMs = options.heartbeatMs ?? 1_000;
    this.#logger = options.logger;
    redis.onRecovered(() => {
      this.#flush();
    });
  }

  /** Subscribes and starts the heartbeat. */
  start(): void {
    // Its own connection: a subscribed connection can do nothing else. It
    // queues the subscription until Redis answers and subscribes again after
    // every reconnection.
    const subscriber = this.#redis.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.#subscriber = subscriber;
    subscriber.on('error', () => undefined); // the main connection logs Redis' state
    subscriber.on('message', (_channel: string, message: string) => {
      this.#heard(Date.now());
      if (message.startsWith(revoked)) {
        const digest = message.slice(revoked.length);
        for (const listener of this.#listeners) listener(digest);
      }
    });
    subscriber.subscribe(this.#channel).catch(() => undefined);
    this.#timer = setInterval(() => {
      void this.#send(heartbeat);
    }, this.#heartbeatMs).unref();
    void this.#send(heartbeat);
  }

  /** Calls `listener` with the digest of every session deleted on any replica (this one included). */
  onRevoked(listener: (digest: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Tells every replica that this session is gone; resolves once Redis took it, or it is queued to be sent again. */
  async revoke(sessionToken: string): Promise<void> {
    const message = `${revoked}${tokenDigest(sessionToken)}`;
    if (!(await this.#send(message))) {
      this.#unsent.add(message);
      this.#logger.warn(
        'a sign-out could not be told to the other replicas yet (Redis unavailable); it will be',
      );
    }
  }

  /**
   * The moment from which every revocation published anywhere has reached
   * this replica, if the channel is live now; undefined when it is not (or never was).
   */
  coveredSince(now = Date.now()): number | undefined {
    return this.#lastHeard > 0 && now - this.#lastHeard <= this.#silence() ? this.#since : undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#subscriber?.disconnect();
  }

  /** Longer than this without a message, and revocations may have been missed. */
  #silence(): number {
    return this.#heartbeatMs * 2.5;
  }

  #heard(now: number): void {
    if (now - this.#lastHeard > this.#silence()) this.#since = now;
    this.#lastHeard = now;
  }

  #send(message: string): Promise<boolean> {
    return this.#redis.attempt(
      async (client) => {
        await client.publish(this.#channel, message);
        return true;
      },
      () => false,
    );
  }

  #flush(): void {
    for (const message of [...this.#unsent]) {
      this.#unsent.delete(message);
      void this.#send(message).then((sent) => {
        if (!sent) this.#unsent.add(message);
      });
    }
  }
}
