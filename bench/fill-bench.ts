/**
 * The batch filler alone, before and after its 4-images-per-pass rewrite, side by side in one run:
 *
 *   npx tsx bench/fill-bench.ts [batch sizes, default 200 32]
 *
 * Both fill rows X and their transpose Xᵀ from MNIST's training bytes in a shuffled order, as train()
 * does. The two alternate in rounds (bench/rounds.ts). Then the dropout masks of the default model's
 * two layers (256 × 512 and 256 × 256 units at rate 0.2), drawn a next() per unit as before and by
 * Random.fillMask, alternating the same way. Figures, never assertions.
 */
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { BatchFiller, rowScales } from '../src/engine/ml/batches';
import { Random } from '../src/engine/ml/random';
import type { ImageSet } from '../src/shared/datasets/image-set';
import type { Normalization } from '../src/shared/model-spec';
import { alternate, timedCell, type Timed } from './rounds';
import { exitWhenDone } from './script';

const ROUNDS = 21;
/** Images filled per round and variant, about 20 batches of 200. */
const IMAGES_PER_ROUND = 4_000;

type Fill = (start: number, count: number, out: Float32Array, outT: Float32Array) => void;

/** The filler as it was (one image at a time, each pixel written to X and to Xᵀ), kept as the baseline. */
function before(set: ImageSet, order: Int32Array, normalization: Normalization): Fill {
  const size = set.rows * set.cols;
  const scales = rowScales(set, normalization);
  const images = set.images;
  return (start, count, out, outT) => {
    for (let i = 0; i < count; i++) {
      const image = order[start + i];
      const from = image * size;
      const to = i * size;
      const scale = scales[image];
      for (let p = 0; p < size; p++) {
        const value = images[from + p] * scale;
        out[to + p] = value;
        outT[p * count + i] = value;
      }
    }
  };
}

function after(set: ImageSet, order: Int32Array, normalization: Normalization): Fill {
  const filler = new BatchFiller(set, normalization, null);
  const labels = new Uint8Array(set.count);
  const random = new Random(1);
  return (start, count, out, outT) => filler.fill(order, start, count, out, labels, random, outT);
}

function measure(set: ImageSet, batch: number, normalization: Normalization): Timed[] {
  const size = set.rows * set.cols;
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  new Random(1).shuffle(order);
  const out = new Float32Array(batch * size);
  const outT = new Float32Array(batch * size);
  const batches = Math.floor(set.count / batch);
  let b = 0;
  const once = (fill: Fill) => (): void => fill((b++ % batches) * batch, batch, out, outT);
  const fills = [before(set, order, normalization), after(set, order, normalization)];
  return alternate(fills.map(once), ROUNDS, Math.max(5, Math.round(IMAGES_PER_ROUND / batch)), 50);
}

/** One step's masks for the default model (robust-drawing): 196,608 units at dropout 0.2. */
function measureMasks(): Timed[] {
  const units = 256 * (512 + 256);
  const rate = 0.2;
  const keep = 1 / (1 - rate);
  const random = new Random(1);
  const out = new Float32Array(units);
  const perUnit = (): void => {
    for (let i = 0; i < units; i++) out[i] = random.next() >= rate ? keep : 0;
  };
  const filled = (): void => void random.fillMask(out, rate, keep);
  return alternate([perUnit, filled], ROUNDS, 10, 10);
}

async function main(argv: string[]): Promise<void> {
  const sizes = argv.length > 0 ? argv.map(Number) : [200, 32];
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  console.log(`# Batch fill, X and Xᵀ from MNIST bytes, ms per batch: wall median / fastest of ${ROUNDS} rounds | CPU median`);
  console.log('| batch | normalisation | before: wall | cpu | after: wall | cpu | speed-up (cpu median) |');
  console.log('|------:|---------------|-------------:|----:|------------:|----:|----------------------:|');
  for (const batch of sizes) {
    for (const normalization of ['divide255', 'unit'] as const) {
      const [old, now] = measure(dataset.train, batch, normalization);
      console.log(`| ${batch} | ${normalization} | ${timedCell(old)} | ${timedCell(now)} | ${(old.cpuMedian / now.cpuMedian).toFixed(2)}× |`);
    }
  }
  const [perUnit, filled] = measureMasks();
  console.log(`\n# Dropout masks of one default-model step (196,608 units), ms: wall median / fastest of ${ROUNDS} rounds | CPU median`);
  console.log('| next() per unit | cpu | Random.fillMask | cpu | speed-up (cpu median) |');
  console.log('|----------------:|----:|----------------:|----:|----------------------:|');
  console.log(`| ${timedCell(perUnit)} | ${timedCell(filled)} | ${(perUnit.cpuMedian / filled.cpuMedian).toFixed(2)}× |`);
}

exitWhenDone('fill-bench', main(process.argv.slice(2)));
