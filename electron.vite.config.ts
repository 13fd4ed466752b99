import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { pathAliases } from './scripts/path-aliases.mjs';
import { apiTables } from './src/shared/ipc/contract';

// `$shared/…` and the other aliases of tsconfig.base.json, for all three bundles.
const resolve = { alias: pathAliases(fileURLToPath(new URL('.', import.meta.url))) };

export default defineConfig({
  main: {
    resolve,
    build: {
      // The training worker is its own entry: main starts it as a worker thread from out/main.
      rollupOptions: { input: { index: 'src/main/index.ts', 'training-worker': 'src/engine/training/worker.ts' } },
    },
  },
  preload: {
    resolve,
    // window.api's names from the contract, as a literal: the preload bundles no schema (src/preload/index.ts).
    define: { __MLP_LAB_API_TABLES__: JSON.stringify(apiTables) },
    build: {
      // A sandboxed preload cannot require packages: it must be one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    // Relative asset URLs: the bundle is served from app://bundle/ in the app and from a loopback
    // server in end-to-end tests.
    base: './',
    resolve,
    plugins: [svelte()],
    build: {
      rollupOptions: { input: 'src/renderer/index.html' },
    },
  },
});
