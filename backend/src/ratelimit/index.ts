export { RateLimiter, type WindowCount } from './limiter.ts';
export { BatchedCounter } from './batched.ts';
export { fastifyStore } from './fastify-store.ts';
