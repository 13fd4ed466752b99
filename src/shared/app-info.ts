import type { BackendName } from './backend';

export interface AppInfo {
  version: string;
  /** The backend training uses (or will use): tfjs-node when installed, else wasm, else cpu. */
  trainingBackend: BackendName;
  /** Set when the native backend is not available, saying why and how to get it. */
  backendHint: string | null;
  /** Where the window runs inference: TensorFlow.js in the renderer. */
  inferenceBackend: string;
}
