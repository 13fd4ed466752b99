import type { Environment } from 'vitest/environments';

/**
 * Node globals, but modules transformed for the client: the Svelte compiler then emits the same
 * reactive code the window runs (an 'ssr' transform would turn runes into plain fields), and imports
 * of 'svelte' resolve to its client runtime.
 */
export default {
  name: 'renderer-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
