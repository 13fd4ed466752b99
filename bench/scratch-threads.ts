import { DEFAULT_SPEC, type ModelSpec } from '../src/shared/model-spec';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import { acquireKernel, type KernelInstance } from '../src/engine/kernel/kernel-module';
import { KernelNet } from '../src/engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '../src/engine/kernel/kernel-optimizer';
import { startKernelTeam } from '../src/engine/kernel/kernel-threads';

const hidden = (process.env.H ?? '50').split(',').map(Number);
const batch = Number(process.env.B ?? 200);
const opt = process.env.OPT ?? 'sgd';
async function main() {
  await selectBackend('cpu');
  const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: hidden.map((units) => ({ units, activation: 'relu' as const, dropout: Number(process.env.DROP ?? 0) })), optimizer: opt as ModelSpec['optimizer'], learningRate: 0.01, momentum: 0.9, nesterov: true, l2: 1e-4, seed: 3, batchSize: batch };
  const count = batch * 8;
  const r = new Random(9);
  const images = Uint8Array.from({ length: count * 784 }, (_, i) => ((i % 28) > 5 && (i % 28) < 22 && r.next() < 0.5 ? Math.floor(r.next() * 256) : 0));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(r.next() * 10));
  const run = (kernel: KernelInstance, steps: number) => {
    const model = createModel(spec, { inputSize: 784, numClasses: 10 } as never);
    const optimizer = createOptimizer(spec);
    const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, spec.l2, batch);
    net.loadWeights(optimizer);
    net.loadData({ images, labels, count, rows: 28, cols: 28 }, new Float64Array(count).fill(1 / 255));
    net.loadOrder(Int32Array.from({ length: count }, (_, i) => i));
    const random = new Random(1);
    let loss = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let s = 0; s < steps; s++) loss = net.step(batch, 0.01, random, { start: (s % 8) * batch }).loss;
    const ms = (performance.now() - t0) / steps;
    const cpu = process.cpuUsage(c0);
    net.storeWeights();
    const w = denseBlocks(model).map((b) => Array.from(b.kernel.dataSync() as Float32Array));
    return { loss, ms, cpuMs: (cpu.user + cpu.system) / 1000 / steps, w };
  };
  const single = acquireKernel() as KernelInstance;
  const threaded = acquireKernel(true) as KernelInstance;
  console.log('variant', single.variant, threaded.variant);
  const steps = Number(process.env.STEPS ?? 200);
  const a = run(single, 5);
  const team = startKernelTeam(threaded, Number(process.env.T ?? 2), process.env.LEAVE === "1");
  await team.ready;
  const b = run(threaded, 5);
  const same = a.loss === b.loss && a.w.every((l, i) => l.every((v, j) => Object.is(v, b.w[i][j])));
  console.log('identical', same, a.loss, b.loss, 'helperParts', threaded.exports.kn_helper_parts());
  const w1: number[] = [], w2: number[] = [], c1: number[] = [], c2: number[] = [];
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    threaded.exports.kn_threads(0, 0);
    const one = run(threaded, steps);
    threaded.exports.kn_threads(team.helpers, 0);
    const two = run(threaded, steps);
    w1.push(one.ms); w2.push(two.ms); c1.push(one.cpuMs); c2.push(two.cpuMs);
    console.log(`b${batch} ${hidden}: threaded-1 ${one.ms.toFixed(3)} ms (cpu ${one.cpuMs.toFixed(3)}); threaded-2 ${two.ms.toFixed(3)} ms (cpu ${two.cpuMs.toFixed(3)}) speedup ${(one.ms / two.ms).toFixed(2)}`);
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
  console.log(`MEDIAN b${batch} ${hidden}: 1 thread ${med(w1).toFixed(3)} ms (cpu ${med(c1).toFixed(3)}), 2 threads ${med(w2).toFixed(3)} ms (cpu ${med(c2).toFixed(3)}); wall gain ${(med(w1) / med(w2)).toFixed(2)}x`);
  await team.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
