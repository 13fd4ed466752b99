/** One training backend's measured speed on one model: a throwaway copy's steps on made-up data. */
export interface MeasuredRate {
  /** The candidate's id ('tensorflow', 'wasm', …). */
  name: string;
  /** As people see it: "tfjs-node", "wasm (SIMD, 2 threads)". */
  label: string;
  samplesPerSecond: number;
}

/** Which training backend a run uses, and why. */
export interface BackendChoice {
  name: string;
  label: string;
  /**
   * `measured`: the candidates were timed on this model now; `cached`: timed earlier on a model of the
   * same shape and batch size; `pinned`: the user chose it; `only`: nothing else could train it.
   */
  how: 'measured' | 'cached' | 'pinned' | 'only';
  /** Every candidate's speed, fastest or not (empty when pinned or the only one). */
  rates: MeasuredRate[];
  /** Candidates that cannot train this model, with why. */
  skipped: { name: string; reason: string }[];
}

/**
 * One line for the status bar, the run record and the CLI: "tfjs-node: 2.4× faster than wasm for this
 * model", "wasm: pinned", "wasm: the only backend here".
 */
export function describeChoice(choice: BackendChoice): string {
  if (choice.how === 'pinned') return `${choice.label}: pinned`;
  const winner = choice.rates.find((r) => r.name === choice.name);
  const others = choice.rates.filter((r) => r.name !== choice.name);
  if (!winner || others.length === 0) return `${choice.label}: the only backend here for this model`;
  const runnerUp = others.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  const ratio = winner.samplesPerSecond / runnerUp.samplesPerSecond;
  const speed = ratio >= 1.05 ? `${ratio.toFixed(1)}× faster than` : 'about as fast as';
  return `${choice.label}: ${speed} ${runnerUp.label} for this model${choice.how === 'cached' ? ' (measured earlier)' : ''}`;
}
