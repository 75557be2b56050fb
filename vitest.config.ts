import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // rebuilds build/ and dist/, then dist-web/, when their sources changed (scripts/stamp.mjs, scripts/build-web.mjs)
    globalSetup: ['test/fresh-build.ts', 'test/fresh-web.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // two cores: one worker per core, files are heavy enough to keep both busy
    maxWorkers: 2,
  },
});
