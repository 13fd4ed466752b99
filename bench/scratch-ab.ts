import { DEFAULT_SPEC, type ModelSpec } from '../src/shared/model-spec';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import type { KernelExports, KernelInstance } from '../src/engine/kernel/kernel-module';
import { KernelNet } from '../src/engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '../src/engine/kernel/kernel-optimizer';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { SIMD_WASM as NEW } from '../src/engine/kernel/kernel-wasm';
import { SIMD_WASM as OLD } from './scratch-old-wasm';

const batch = Number(process.env.B ?? 32);
const hidden = (process.env.H ?? '50').split(',').map(Number);
const inst = (b64: string): KernelInstance => ({ exports: new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(b64, 'base64')), {}).exports as unknown as KernelExports, variant: 'simd128' });
async function main() {
  await selectBackend('cpu');
  const ds = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: hidden.map((units) => ({ units, activation: 'relu' as const, dropout: 0 })), optimizer: (process.env.OPT ?? 'sgd') as 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true, l2: 1e-4, seed: 3, batchSize: batch };
  const set = ds.train;
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  new Random(5).shuffle(order);
  const setup = (kernel: KernelInstance) => {
    const model = createModel(spec, { inputSize: 784, numClasses: 10 } as never);
    const optimizer = createOptimizer(spec);
    const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, spec.l2, batch);
    net.loadWeights(optimizer);
    net.loadData(set, new Float64Array(set.count).fill(1 / 255));
    net.loadOrder(order);
    net.step(batch, 0.01, new Random(1), { start: 0 });
    return kernel;
  };
  const a = setup(inst(OLD)), b = setup(inst(NEW));
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const steps = Math.min(Math.floor(set.count / batch), Number(process.env.STEPS ?? 1e9));
  const ta: number[] = [], tb: number[] = [];
  for (let round = 0; round < 6; round++) {
    for (const [k, out] of [[a, ta], [b, tb]] as const) {
      const t0 = cpu();
      for (let s = 0; s < steps; s++) k.exports.kn_step(s * batch, batch, 0, 1e-4);
      out.push(((cpu() - t0) / steps) * 1000);
    }
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
  console.log(`b${batch} ${hidden}: old ${ta.map((x) => x.toFixed(0)).join(' ')} µs; new ${tb.map((x) => x.toFixed(0)).join(' ')} µs; median ratio old/new ${(med(ta) / med(tb)).toFixed(3)}`);
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
