export { betterAuthScrypt, createAuth, type Auth, type SignedIn } from './better-auth.ts';
export { SessionRevocations } from './revocations.ts';
export { redisSessionCache } from './session-cache.ts';
export { requireUser, userOf, type CurrentUser } from './guard.ts';
export { authRoutes } from './routes.ts';
export { SignInGuard, addressKey } from './sign-in-guard.ts';
