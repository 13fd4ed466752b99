/**
 * The backend choice of `npm run bench`, in a process of its own with every backend started, as the
 * app's training worker starts them:
 *
 *   tsx bench/choice-child.ts [--rounds N]
 *
 * For each case (a preset at a batch size) it trains, in alternating rounds: on tfjs-node, on wasm, on the
 * training kernel, and "auto", which first chooses as a run does (measuring, no cache) from the same
 * candidates and then trains on its choice. Prints
 * one JSON line (ChoiceFigures), or {"unavailable": reason} when fewer than two backends start.
 * Figures are measured, never asserted.
 */
import type { ModelSpec } from '../src/shared/model-spec';
import { findPreset } from '../src/shared/presets';
import type { BackendChoice } from '../src/shared/backend-choice';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { selectBackend } from '../src/engine/ml/backend';
import { prepareTrainingData, type TrainingData } from '../src/engine/ml/batches';
import { createModel } from '../src/engine/ml/model';
import { runChooser, trainingCandidates } from '../src/engine/ml/tfjs-candidates';
import { train } from '../src/engine/ml/train';
import { tfjsStepper, type StepperFactory } from '../src/engine/ml/stepper';
import { kernelCandidates } from '../src/engine/kernel/kernel-choice';
import { median } from './format';
import { exitWhenDone } from './script';

/** The cases of issue #21: the small net at two batch sizes, where wasm wins, and the default model. */
export const CHOICE_CASES = [
  { preset: 'sklearn-exercise', batchSize: 200, images: 12_000 },
  { preset: 'sklearn-exercise', batchSize: 32, images: 6_000 },
  { preset: 'robust-drawing', batchSize: 256, images: 3_072 },
] as const;

export interface ChoiceCase {
  preset: string;
  batchSize: number;
  images: number;
  /** Median samples/s of train() forced onto each backend, by name. */
  forced: Record<string, number>;
  /** Median samples/s of train() on what the choice picked, each round. */
  auto: number;
  /** What the choice picked each round, and its median time in ms. */
  chosen: string[];
  choiceMs: number;
  /** The last round's choice, as the run record and the status bar show it. */
  lastChoice: BackendChoice;
}

export interface ChoiceFigures {
  backends: { name: string; label: string }[];
  rounds: number;
  cases: ChoiceCase[];
}

/** Samples/s of one epoch of train() over data on the active backend, stepped by `stepper` (a fresh model of spec). */
async function trainRate(spec: ModelSpec, data: TrainingData, stepper: StepperFactory): Promise<number> {
  const model = createModel(spec);
  try {
    const started = performance.now();
    const result = await train(model, data, spec, {}, { epochs: 1, stepper });
    const seconds = (performance.now() - started) / 1000;
    return result.history[0].samples / seconds;
  } finally {
    model.dispose();
  }
}

async function main(argv: string[]): Promise<void> {
  const roundsAt = argv.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Math.max(1, Math.min(20, Number(argv[roundsAt + 1]) || 3)) : 3;
  const report = await selectBackend(undefined);
  // The training kernel is a candidate as in the app, unless MLP_LAB_BACKEND rules it out.
  const candidates = [...trainingCandidates(report), ...kernelCandidates()];
  const backends = candidates.map(({ name, label }) => ({ name, label }));
  if (backends.length < 2) {
    console.log(JSON.stringify({ unavailable: `only ${backends.map((b) => b.label).join(', ')} started here (${report.skipped.join('; ')})` }));
    return;
  }
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const choose = runChooser(report, { extra: kernelCandidates() });
  const cases: ChoiceCase[] = [];
  for (const { preset, batchSize, images } of CHOICE_CASES) {
    const spec: ModelSpec = { ...findPreset(preset)!.spec, batchSize, trainSubset: images, validation: 0, epochs: 1 };
    const data = prepareTrainingData(dataset, spec);
    const forced = new Map<string, number[]>(backends.map((b) => [b.name, []]));
    const auto: number[] = [];
    const chosen: string[] = [];
    const choiceMs: number[] = [];
    let lastChoice: BackendChoice | null = null;
    for (let round = 0; round < rounds; round++) {
      for (const candidate of candidates) {
        await candidate.activate();
        forced.get(candidate.name)!.push(await trainRate(spec, data, candidate.stepper ?? tfjsStepper));
      }
      const started = performance.now();
      const { choice, stepper } = await choose(spec, { inputSize: 784, numClasses: 10 });
      choiceMs.push(performance.now() - started);
      chosen.push(choice.name);
      lastChoice = choice;
      auto.push(await trainRate(spec, data, stepper ?? tfjsStepper));
      process.stderr.write(`[choice] ${preset} b${batchSize} round ${round + 1}/${rounds}: chose ${choice.name}\n`);
    }
    cases.push({
      preset,
      batchSize,
      images,
      forced: Object.fromEntries([...forced].map(([name, rates]) => [name, median(rates)])),
      auto: median(auto),
      chosen,
      choiceMs: median(choiceMs),
      lastChoice: lastChoice!,
    });
  }
  const figures: ChoiceFigures = { backends, rounds, cases };
  console.log(JSON.stringify(figures));
}

exitWhenDone('choice-child', main(process.argv.slice(2)));
