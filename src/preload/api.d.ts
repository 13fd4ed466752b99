import type { Api } from '../shared/ipc/contract';

declare global {
  interface Window {
    /** Exposed by the preload (src/preload/index.ts); the renderer's only way to reach main. */
    readonly api: Api;
  }
}

export {};
