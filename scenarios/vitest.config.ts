import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'scenarios',
    include: ['test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Vitest overwrites BASE_URL with Vite's base ("/") in the test workers;
    // hand the caller's value through, so the suites can run against it.
    env: process.env.BASE_URL ? { BASE_URL: process.env.BASE_URL } : {},
  },
});
