import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'harness',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Stacks are built and started from scratch: minutes, not seconds.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One stack at a time: they build the same images and share two cores.
    fileParallelism: false,
  },
});
