import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const valid = {
  DATABASE_URL: 'postgres://app:pw@db:5432/todo',
  PUBLIC_URL: 'https://todo.example.com/',
  AUTH_SECRET: 'x'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const config = loadConfig(valid);
    expect(config.PORT).toBe(3000);
    expect(config.PUBLIC_URL).toBe('https://todo.example.com');
    expect(config.TRUSTED_ORIGINS).toEqual([]);
    expect(config.TRUST_PROXY).toBe(false);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reports each missing variable on its own line', () => {
    expect(problemsOf({})).toEqual([
      'DATABASE_URL: is required',
      'PUBLIC_URL: is required',
      'AUTH_SECRET: is required',
    ]);
  });

  it('names each bad value with what is expected', () => {
    const problems = problemsOf({
      ...valid,
      AUTH_SECRET: 'short',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      TRUSTED_ORIGINS: 'http://ok.test, not a url',
    });
    expect(problems).toHaveLength(4);
    expect(problems).toContainEqual(expect.stringMatching(/^AUTH_SECRET: must be at least 32 characters/));
    expect(problems).toContainEqual('PORT: must be a number');
    expect(problems).toContainEqual('DATABASE_URL: must be a postgres:// URL');
    expect(problems).toContainEqual(expect.stringMatching(/^TRUSTED_ORIGINS\.1: /));
  });

  it('treats empty values as unset and parses lists, proxies and numbers', () => {
    const config = loadConfig({
      ...valid,
      REDIS_URL: '',
      TRUSTED_ORIGINS: 'http://localhost:5173/, https://a.test',
      TRUST_PROXY: '10.0.0.0/8,172.16.0.0/12',
      RATE_LIMIT_AUTH_MAX: '1000',
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.TRUSTED_ORIGINS).toEqual(['http://localhost:5173', 'https://a.test']);
    expect(config.TRUST_PROXY).toBe('10.0.0.0/8,172.16.0.0/12');
    expect(config.RATE_LIMIT_AUTH_MAX).toBe(1000);
  });

  it('takes a hop count for TRUST_PROXY, and refuses `true` (any client could claim any address) in production', () => {
    expect(loadConfig({ ...valid, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(problemsOf({ ...valid, TRUST_PROXY: 'true' })).toEqual([
      expect.stringMatching(
        /^TRUST_PROXY: true trusts every hop, .* \(Railway: 1, Railway behind Vercel: 2\)$/,
      ),
    ]);
    expect(loadConfig({ ...valid, NODE_ENV: 'development', TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
  });
});
