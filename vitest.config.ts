import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { pathAliases } from './scripts/path-aliases.mjs';

// `$shared/…` and the other aliases of tsconfig.base.json, for every project.
const alias = pathAliases(fileURLToPath(new URL('.', import.meta.url)));

// Unit tests run in Node against the real engine; e2e tests drive the built renderer in Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    // One wasm thread, so what a test trains does not depend on the machine's core count. The thread
    // tests set their own count.
    env: { MLP_LAB_WASM_THREADS: '1' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ['tests/unit/renderer/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // expect.poll's default of 1 s is shorter than a model load or a worker job takes on a busy
          // 2-core CI machine; a poll that has its own timeout keeps it.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        // Renderer state classes use runes, so they go through the Svelte compiler, for the client as in
        // the window.
        plugins: [svelte()],
        // So `import 'svelte'` gets the client runtime too, not its server no-ops.
        resolve: { alias, conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['tests/unit/renderer/**/*.test.ts'],
          environment: './tests/unit/renderer/helpers/client-environment.ts',
          testTimeout: 120_000,
        },
      },
    ],
  },
});
