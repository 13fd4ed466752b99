/**
 * `npm run bench:evaluation`: how long the Gallery waits for its figures, on the backend the training
 * worker would pick (MLP_LAB_BACKEND forces one, MLP_LAB_WASM_THREADS sets wasm's threads). The jobs
 * run in this process through EvaluationJobs, the code the worker runs, with MNIST already parsed (the
 * worker keeps it between jobs): the model is built from its files, used, and disposed inside each
 * timed job, as in the app. Worker messaging is left out. Figures only: no threshold fails the run.
 *
 *   - evaluation: the 10,000 test images through the bundled default model (median of a few rounds);
 *   - robustness: the quick check (first 2,000 images) and the whole test split, every variant, one model;
 *   - transforms alone: what making each family's variants of the 10,000 images costs, before inference.
 */
import { catalogDescriptor } from '../src/shared/datasets/descriptor';
import os from 'node:os';
import path from 'node:path';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { transformSet } from '../src/engine/evaluation/transform-set';
import { EvaluationJobs, type EvaluationAnswer, type EvaluationJob, type JobMessage } from '../src/engine/evaluation/jobs';
import { selectBackend } from '../src/engine/ml/backend';
import { readModelFiles } from '../src/engine/ml/model-files';
import { modelFromFiles } from '../src/engine/ml/persist';
import { describeBackend } from '../src/shared/backend';
import { QUICK_ROBUSTNESS_IMAGES, ROBUSTNESS_VARIANTS, type RobustnessFamily } from '../src/shared/robustness';
import { int, median, ms, table } from './format';
import { exitWhenDone } from './script';

const EVALUATE_ROUNDS = 5;
const QUICK_ROUNDS = 3;
/** The whole split is ~40 passes over 10,000 images: once is enough to see where it stands. */
const FULL_ROUNDS = 1;
const TRANSFORM_ROUNDS = 3;

/** A job before it is given its request id (Omit, distributed over the union). */
type Unsent<J> = J extends unknown ? Omit<J, 'requestId'> : never;

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const backend = await selectBackend();
  const mnistDir = bundledDatasetDir(RESOURCES_DIR, 'mnist');
  const dataset = await loadDataset(mnistDir, 'mnist');
  const files = await readModelFiles(path.join(RESOURCES_DIR, 'models', 'default'));
  const probe = await modelFromFiles(files);
  const params = probe.countParams();
  probe.dispose();
  const test = dataset.test;

  const answers = new Map<string, EvaluationAnswer | string>();
  const jobs = new EvaluationJobs(async () => dataset, (message: JobMessage) => {
    if (message.type === 'job-done') answers.set(message.requestId, message.answer);
    if (message.type === 'job-failed') answers.set(message.requestId, message.message);
  });
  let request = 0;
  /** One job, timed from its arrival to its answer; throws if it failed. */
  const timed = async (job: Unsent<EvaluationJob>): Promise<{ seconds: number; answer: EvaluationAnswer }> => {
    const requestId = `bench-${++request}`;
    const started = performance.now();
    await jobs.run({ ...job, requestId } as EvaluationJob);
    const seconds = (performance.now() - started) / 1000;
    const answer = answers.get(requestId);
    if (answer === undefined || typeof answer === 'string') throw new Error(`the ${job.type} job failed: ${answer ?? 'no answer'}`);
    return { seconds, answer };
  };
  const base = { dataset: catalogDescriptor('mnist', mnistDir) };
  const model = { id: 'default', files };
  const variants = ROBUSTNESS_VARIANTS.map((v) => v.id);

  console.log(`# Gallery evaluation — default model (${int(params)} parameters), MNIST test split, backend ${describeBackend(backend)}`);
  console.log(`machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}, Node ${process.version}\n`);

  log(`evaluation: 1 warm-up + ${EVALUATE_ROUNDS} rounds of ${int(test.count)} images`);
  await timed({ type: 'evaluate', ...base, model });
  const evaluations: number[] = [];
  let accuracy = 0;
  for (let round = 0; round < EVALUATE_ROUNDS; round++) {
    const run = await timed({ type: 'evaluate', ...base, model });
    evaluations.push(run.seconds);
    if (run.answer.type === 'evaluate') accuracy = run.answer.accuracy;
  }

  const robustness = async (images: number | null, rounds: number): Promise<{ seconds: number[]; original: number }> => {
    const seconds: number[] = [];
    let original = 0;
    for (let round = 0; round < rounds; round++) {
      const run = await timed({ type: 'robustness', ...base, models: [model], variants, images });
      seconds.push(run.seconds);
      if (run.answer.type === 'robustness') original = run.answer.results[0].original;
    }
    return { seconds, original };
  };
  log(`robustness, quick: ${QUICK_ROUNDS} rounds of ${int(QUICK_ROBUSTNESS_IMAGES)} images × ${variants.length + 1} passes`);
  const quick = await robustness(QUICK_ROBUSTNESS_IMAGES, QUICK_ROUNDS);
  log(`robustness, full: ${FULL_ROUNDS} round of ${int(test.count)} images × ${variants.length + 1} passes`);
  const full = await robustness(null, FULL_ROUNDS);

  const row = (label: string, images: number, seconds: number[], accuracyShown: number): string[] => {
    const s = median(seconds);
    return [label, int(images), String(seconds.length), ms(s, 3), int(images / s), `${(accuracyShown * 100).toFixed(2)} %`];
  };
  const passes = variants.length + 1;
  console.log(
    table(
      ['job', 'images inferred', 'rounds', 'median s', 'images/s', 'accuracy (untouched)'],
      [
        row(`evaluate (${int(test.count)} test images)`, test.count, evaluations, accuracy),
        row(`robustness quick (${int(QUICK_ROBUSTNESS_IMAGES)} × ${passes} passes)`, QUICK_ROBUSTNESS_IMAGES * passes, quick.seconds, quick.original),
        row(`robustness full (${int(test.count)} × ${passes} passes)`, test.count * passes, full.seconds, full.original),
      ],
      [false, true, true, true, true, true],
    ),
  );

  log(`transforms: every variant of ${int(test.count)} images, ${TRANSFORM_ROUNDS} rounds`);
  const families = [...new Set(ROBUSTNESS_VARIANTS.map((v) => v.family))];
  const perFamily = new Map<RobustnessFamily, number[]>();
  for (const family of families) {
    const perVariant: number[] = [];
    for (const variant of ROBUSTNESS_VARIANTS.filter((v) => v.family === family)) {
      const rounds: number[] = [];
      for (let round = 0; round < TRANSFORM_ROUNDS; round++) {
        const started = performance.now();
        const set = transformSet(test, variant);
        rounds.push(performance.now() - started);
        if (set.count !== test.count) throw new Error(`${variant.id} made ${set.count} images of ${test.count}`);
      }
      perVariant.push(median(rounds));
    }
    perFamily.set(family, perVariant);
  }
  console.log(`\nTransform cost per variant family (${int(test.count)} images per variant, median of ${TRANSFORM_ROUNDS} rounds; inference not included)\n`);
  console.log(
    table(
      ['family', 'variants', 'ms per variant (median)', 'µs per image', 'ms, whole family'],
      families.map((family) => {
        const times = perFamily.get(family)!;
        const each = median(times);
        return [family, String(times.length), ms(each, 1), ms((each * 1000) / test.count, 2), ms(times.reduce((a, b) => a + b, 0), 1)];
      }),
      [false, true, true, true, true],
    ),
  );
  // Other work on the machine slows every figure above: the load at the end says how much there was.
  console.log(`\nload average at the end: ${os.loadavg()[0].toFixed(2)} (1 min)`);
}

exitWhenDone('bench:evaluation', main());
