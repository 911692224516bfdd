import { configSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads the configuration from environment variables. Empty strings count as
 * unset, so `FOO=` in an env file falls back to the default instead of failing.
 * Throws a ConfigError listing every problem, one per line, naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const missing = issue.code !== 'custom' && issue.path.length === 1 && present[name] === undefined;
    return `${name}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(problems);
}
