/**
 * The batch filler alone, before and after its 4-images-per-pass rewrite, side by side in one run:
 *
 *   npx tsx bench/fill-bench.ts [batch sizes, default 200 32]
 *
 * Both fill rows X and their transpose Xᵀ from MNIST's training bytes in a shuffled order, as train()
 * does. The two alternate in rounds so that load from other work on the machine hits both alike; the
 * median and the fastest round are printed. A figure, never an assertion.
 */
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { BatchFiller, rowScales } from '../src/engine/ml/batches';
import { Random } from '../src/engine/ml/random';
import type { ImageSet } from '../src/shared/datasets/image-set';
import type { Normalization } from '../src/shared/model-spec';
import { quantile } from './format';
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

function measure(set: ImageSet, batch: number, normalization: Normalization): { name: string; median: number; min: number }[] {
  const size = set.rows * set.cols;
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  new Random(1).shuffle(order);
  const variants = [
    { name: 'before', fill: before(set, order, normalization), ms: [] as number[] },
    { name: 'after', fill: after(set, order, normalization), ms: [] as number[] },
  ];
  const out = new Float32Array(batch * size);
  const outT = new Float32Array(batch * size);
  const batches = Math.floor(set.count / batch);
  const perRound = Math.max(5, Math.round(IMAGES_PER_ROUND / batch));
  let b = 0;
  const next = (): number => (b++ % batches) * batch;
  for (const v of variants) for (let k = 0; k < 50; k++) v.fill(next(), batch, out, outT);
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const started = performance.now();
      for (let k = 0; k < perRound; k++) v.fill(next(), batch, out, outT);
      v.ms.push((performance.now() - started) / perRound);
    }
  }
  return variants.map((v) => {
    const sorted = v.ms.sort((x, y) => x - y);
    return { name: v.name, median: quantile(sorted, 0.5), min: sorted[0] };
  });
}

async function main(argv: string[]): Promise<void> {
  const sizes = argv.length > 0 ? argv.map(Number) : [200, 32];
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  console.log('# Batch fill, X and Xᵀ from MNIST bytes, ms per batch (median / fastest of 21 rounds)');
  console.log('| batch | normalisation | before | after | speed-up (median) |');
  console.log('|------:|---------------|-------:|------:|------------------:|');
  for (const batch of sizes) {
    for (const normalization of ['divide255', 'unit'] as const) {
      const [old, now] = measure(dataset.train, batch, normalization);
      const figure = (f: { median: number; min: number }): string => `${f.median.toFixed(3)} / ${f.min.toFixed(3)}`;
      console.log(`| ${batch} | ${normalization} | ${figure(old)} | ${figure(now)} | ${(old.median / now.median).toFixed(2)}× |`);
    }
  }
}

exitWhenDone('fill-bench', main(process.argv.slice(2)));
