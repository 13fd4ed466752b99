import type { ModelSpec } from '../../shared/model-spec';
import type { BackendChoice, MeasuredRate } from '../../shared/backend-choice';
import type { ModelShape } from './model';
import type { StepperFactory } from './stepper';

/**
 * One way of training that can take part in the per-run choice: a TensorFlow.js backend (tfjs-node,
 * wasm) or anything else that trains the same models (a hand-written kernel). Adding one is adding an
 * entry to the list handed to chooseTrainingBackend. Nothing here loads TensorFlow.js.
 */
export interface TrainingCandidate {
  /** Stable id, as pinned by MLP_LAB_BACKEND / --backend and kept in the cache: 'tensorflow', 'wasm', … */
  readonly name: string;
  /** How people see it, with what changes its speed: "tfjs-node", "wasm (SIMD, 2 threads)". */
  readonly label: string;
  /** Why this candidate cannot train spec (an activation it lacks, …), or null when it can. */
  unsupported(spec: ModelSpec): string | null;
  /**
   * Trains a throwaway model of spec and shape on made-up data at spec's batch size for about budgetMs
   * (a first step to warm up is not counted) and resolves its samples per second. Leaves nothing
   * allocated and the active backend as it found it.
   */
  measure(spec: ModelSpec, shape: ModelShape, budgetMs: number): Promise<number>;
  /** Makes this the candidate that the next training run uses. */
  activate(): Promise<void>;
  /**
   * What train() steps with on this candidate (see stepper.ts); none: tfjsStepper, TensorFlow.js on the
   * active backend. A candidate that keeps the weights elsewhere (a hand-written kernel) gives its own.
   */
  readonly stepper?: StepperFactory;
}

/** A run's backend and what train() steps with there (TrainingEngine's chooseBackend answers this). */
export interface RunBackend {
  choice: BackendChoice;
  /** None: tfjsStepper on the backend the choice activated. */
  stepper?: StepperFactory;
}

/** Remembers measurements between runs (the app: a file in userData; the CLI: one under --cache-dir, or none). */
export interface ChoiceCache {
  get(key: string): Promise<MeasuredRate[] | null>;
  set(key: string, rates: MeasuredRate[]): Promise<void>;
}

export interface ChoiceOptions {
  /** A candidate's name to use without measuring (the popover, MLP_LAB_BACKEND, --backend). */
  pinned?: string;
  cache?: ChoiceCache | null;
  /** The whole measurement's time, shared by the candidates (default about a second). */
  budgetMs?: number;
}

export const CHOICE_BUDGET_MS = 1000;

/** Two rounds, A B A B: a burst of load from elsewhere then slows both rather than only one of them. */
const ROUNDS = 2;

/**
 * Which candidate trains spec fastest here: the pinned one, the only one that can, the cached winner
 * for this model shape and batch size, or the one that measures fastest now (then cached). It activates
 * the winner before it resolves.
 */
export async function chooseTrainingBackend(
  candidates: readonly TrainingCandidate[],
  spec: ModelSpec,
  shape: ModelShape,
  options: ChoiceOptions = {},
): Promise<BackendChoice> {
  if (options.pinned !== undefined) {
    const pinned = candidates.find((c) => c.name === options.pinned);
    if (!pinned) throw new Error(`The pinned backend "${options.pinned}" is not available here (available: ${candidates.map((c) => c.name).join(', ') || 'none'}).`);
    const problem = pinned.unsupported(spec);
    if (problem) throw new Error(`The pinned backend ${pinned.label} cannot train this model: ${problem}`);
    await pinned.activate();
    return describeChoice(pinned, 'pinned', [], []);
  }
  const skipped: { name: string; reason: string }[] = [];
  const able = candidates.filter((c) => {
    const reason = c.unsupported(spec);
    if (reason) skipped.push({ name: c.name, reason });
    return !reason;
  });
  if (able.length === 0) throw new Error(`No training backend can train this model: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
  if (able.length === 1) {
    await able[0].activate();
    return describeChoice(able[0], 'only', [], skipped);
  }
  const key = choiceKey(spec, shape, able);
  const cached = await options.cache?.get(key).catch(() => null);
  if (cached && able.every((c) => cached.some((r) => r.name === c.name))) {
    const winner = fastest(able, cached);
    await winner.activate();
    return describeChoice(winner, 'cached', cached, skipped);
  }
  const rates = await measureAll(able, spec, shape, options.budgetMs ?? CHOICE_BUDGET_MS);
  // A cache that cannot be written costs the next run a second of measuring, not this run.
  await options.cache?.set(key, rates).catch(() => undefined);
  const winner = fastest(able, rates);
  await winner.activate();
  return describeChoice(winner, 'measured', rates, skipped);
}

/** Each candidate's best of ROUNDS short measurements, interleaved. */
async function measureAll(candidates: readonly TrainingCandidate[], spec: ModelSpec, shape: ModelShape, budgetMs: number): Promise<MeasuredRate[]> {
  const share = budgetMs / (candidates.length * ROUNDS);
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const candidate of candidates) {
      const rate = await candidate.measure(spec, shape, share);
      if (!Number.isFinite(rate) || rate <= 0) throw new Error(`${candidate.label} measured ${rate} samples/s`);
      best.set(candidate.name, Math.max(best.get(candidate.name) ?? 0, rate));
    }
  }
  return candidates.map((c) => ({ name: c.name, label: c.label, samplesPerSecond: best.get(c.name)! }));
}

function fastest(candidates: readonly TrainingCandidate[], rates: readonly MeasuredRate[]): TrainingCandidate {
  const rate = (c: TrainingCandidate): number => rates.find((r) => r.name === c.name)?.samplesPerSecond ?? 0;
  return candidates.reduce((a, b) => (rate(b) > rate(a) ? b : a));
}

function describeChoice(
  winner: TrainingCandidate,
  how: BackendChoice['how'],
  rates: readonly MeasuredRate[],
  skipped: BackendChoice['skipped'],
): BackendChoice {
  return { name: winner.name, label: winner.label, how, rates: [...rates], skipped };
}

/**
 * What the speed of a step depends on: layer sizes and activations, which layers drop out, the
 * optimizer (its update's launches), the L2 term, the batch size, and the candidates as they are set
 * up (their labels carry the wasm thread count). Not the learning rate, epochs, seed or dataset.
 */
export function choiceKey(spec: ModelSpec, shape: ModelShape, candidates: readonly Pick<TrainingCandidate, 'label'>[]): string {
  const labels = candidates.map((c) => c.label).sort().join('|');
  return `${choiceShapeKey(spec, shape)} [${labels}]`;
}

/** The model's part of choiceKey, without the candidates: what main looks a model's measured speed up by. */
export function choiceShapeKey(spec: ModelSpec, shape: ModelShape): string {
  const layers = spec.hiddenLayers.map((l) => `${l.units}${l.activation}${l.dropout > 0 ? 'd' : ''}`).join('-');
  const optimizer = spec.optimizer === 'sgd' ? `sgd${spec.momentum > 0 ? (spec.nesterov ? 'n' : 'm') : ''}` : spec.optimizer;
  const batch = Math.min(spec.batchSize, spec.trainSubset ?? Infinity);
  return `${shape.inputSize}-${layers}-${shape.numClasses} ${optimizer}${spec.l2 > 0 ? '+l2' : ''} b${batch}`;
}
