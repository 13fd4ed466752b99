/** The training kernel's section of `npm run bench`: its speed beside the references the issue set it. */
import os from 'node:os';
import type { KernelFigures, ReferenceRun } from './figures';
import { int, table, times } from './format';

/** A row: our figure, theirs, the ratio and the target. */
function row(workload: string, ours: number, reference: string, theirs: number | undefined, target: number): string[] {
  const ratio = theirs ? ours / theirs : NaN;
  const verdict = Number.isFinite(ratio) ? (ratio >= target ? 'met' : 'not met') : '—';
  return [workload, int(ours), reference, theirs ? int(theirs) : '—', Number.isFinite(ratio) ? times(ratio) : '—', `≥ ${target}× ${verdict}`];
}

export function kernelTable(k: KernelFigures, reference: ReferenceRun | null): string {
  const torch = reference && !('unavailable' in reference.torch) ? reference.torch : null;
  const loader = torch?.loader32OneThread;
  const big = torch?.big256TwoThreads;
  const rows = [
    row('sklearn-exercise 784-50-10, SGD Nesterov, batch 200', k.b200.samplesPerSecond, 'scikit-learn MLPClassifier', reference?.sklearn.samplesPerSecond, 2.5),
    row('the same, batch 32', k.b32.samplesPerSecond, 'PyTorch + DataLoader, 1 thread', loader?.samplesPerSecond, 3.0),
    row('784-512-256-10 relu, Adam, batch 256', k.big256.samplesPerSecond, 'PyTorch, 2 threads', big?.samplesPerSecond, 1.2),
  ];
  if (k.tfjsBig256) rows.push(['784-512-256-10 Adam b256 on the tfjs step (wasm, 1 thread), for comparison', int(k.tfjsBig256.samplesPerSecond), '', '', '', '']);
  const lines = [
    table(['workload', `kernel (${k.detail}) samples/s`, 'reference', 'its samples/s', 'ratio', 'issue 22 target'], rows, [false, true, false, true, true, false]),
    '',
    `kernel samples/s: wall clock of train() with the kernel's stepper (setup included, validation as the preset), after a 6,000-image warm-up; ` +
      `sklearn-exercise 2 epochs × 60,000 images, the big net 1 epoch × 60,000. Last-epoch training accuracy: b200 ${(100 * k.b200.accuracy).toFixed(1)} %, ` +
      `b32 ${(100 * k.b32.accuracy).toFixed(1)} %, big ${(100 * k.big256.accuracy).toFixed(1)} %.`,
    `matrix products: the first layer's X·W1ᵀ (200×784 by 784×50) alone ${k.productGmacs.toFixed(1)} GMAC/s; ` +
      `whole steps (every product's multiply-adds over train()'s in-loop time) ${k.stepGmacs.b200.toFixed(1)} GMAC/s at b200, ${k.stepGmacs.big256.toFixed(1)} GMAC/s on the big net.`,
    `this machine's peak: ${k.peakGmacs.toFixed(1)} GMAC/s with 128-bit wasm SIMD on one thread (register-only multiply-adds, measured now); ` +
      `native AVX2 FMA on ${os.cpus().length} cores would be ${nativePeak()}.`,
  ];
  return lines.join('\n');
}

/** cores × clock × 8 lanes × 2 FMA units, from what the OS reports (an upper bound, not measured). */
function nativePeak(): string {
  const cpus = os.cpus();
  const mhz = Math.max(...cpus.map((c) => c.speed));
  if (!Number.isFinite(mhz) || mhz <= 0) return 'unknown (no clock reported)';
  return `about ${((cpus.length * mhz * 16) / 1000).toFixed(0)} GMAC/s (${cpus.length} × ${(mhz / 1000).toFixed(2)} GHz × 16, if the CPU has two FMA units)`;
}
