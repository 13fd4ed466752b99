/** The TensorFlow.js backends training can run on: tfjs-node ('tensorflow'), wasm, or pure-JS cpu. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** How the UI and the CLI name a backend: users know tfjs-node, not TensorFlow.js' internal name. */
export function backendLabel(name: BackendName): string {
  return name === 'tensorflow' ? 'tfjs-node' : name;
}
