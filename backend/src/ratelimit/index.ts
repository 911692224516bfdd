export { RateLimiter, type WindowCount } from './limiter.ts';
export { fastifyStore } from './fastify-store.ts';
