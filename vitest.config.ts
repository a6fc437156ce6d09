import { defineConfig } from 'vitest/config';

// Only the TypeScript tests: assembly/__tests__ holds AssemblyScript specs for as-pect.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
