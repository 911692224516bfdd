import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitPluginOptions,
} from '@fastify/rate-limit';
import type { RateLimiter } from './limiter.ts';

/** Adapts RateLimiter to @fastify/rate-limit's store interface. */
export function fastifyStore(limiter: RateLimiter, prefix = 'api:'): FastifyRateLimitStoreCtor {
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
      limiter.hit(this.prefix + key, timeWindow).then(
        ({ count, ttlMs }) => {
          callback(null, { current: count, ttl: ttlMs });
        },
        (error: unknown) => {
          callback(error as Error);
        },
      );
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
