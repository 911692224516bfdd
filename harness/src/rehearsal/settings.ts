// What makes a stack a rehearsal of production: the file, and the few settings
// it needs that production does not (see the README's differences table).

export const rehearsalFile = 'docker-compose.prod.yml';

export const rehearsalDefaults = (env: NodeJS.ProcessEnv): Record<string, string> => ({
  // Every scenario and load user signs up and in from one address; the
  // per-account sign-in lockout stays at its production value.
  RATE_LIMIT_AUTH_MAX: env.RATE_LIMIT_AUTH_MAX ?? '100000',
});
