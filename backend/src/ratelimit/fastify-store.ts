import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import type { BatchedCounter } from './batched.ts';

/** Adapts BatchedCounter to @fastify/rate-limit's store interface (answers without waiting for Redis). */
export function fastifyStore(counter: BatchedCounter, prefix = ''): FastifyRateLimitStoreCtor {
  class Store implements FastifyRateLimitStore {
    private readonly prefix: string;
    constructor(_options: RateLimitPluginOptions, childPrefix = prefix) {
      this.prefix = childPrefix;
    }
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const { count, ttlMs } = counter.hit(this.prefix + key, timeWindow);
      callback(null, { current: count, ttl: ttlMs });
    }
    // Called for routes with a rate limit of their own: they count separately.
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const { routeInfo } = routeOptions as { routeInfo?: { method?: unknown; url?: unknown } };
      const route = routeInfo ? `${String(routeInfo.method)}${String(routeInfo.url)}:` : '';
      return new Store(routeOptions as RateLimitPluginOptions, prefix + route);
    }
  }
  return Store;
}
